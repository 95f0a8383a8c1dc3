import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { createKnownSources, SOURCE_CACHE_MS } from '../../src/sources/known-sources.js';
import { createSource, deleteSource, listSources, rotateSourceSecret } from '../../src/sources/sources.repository.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { signature, testPushSource } from './test-push-sources.js';

/**
 * The route remembers a source it read (and its opened secret) for SOURCE_CACHE_MS: rotating or deleting through
 * the app's own cache takes effect at once; through another instance's (the CLI's) within that time, except that a
 * delivery signed with the new secret is taken at once.
 */
describe('the sources the route remembers', () => {
  let app: TestApp;
  let clock: TestClock;
  let sourceId: string;
  let n = 0;

  beforeAll(async () => {
    clock = createTestClock();
    app = await startTestApp({ now: clock.now, sources: [testPushSource()] });
    await upsertOrganization(app.deps.db, { id: 'T1', name: 'Acme', enterpriseId: null });
  });
  afterAll(() => app.stop());
  beforeEach(async () => {
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Testflags', secret: 'old' }, clock.now())).id;
  });

  /** A new delivery (its own id) signed with `secret`; its status. */
  const post = async (secret: string) => {
    n += 1;
    const body = `{"id":"evt-${n}","changes":[],"ignored":1}`;
    const res = await fetch(`${app.url}/api/v1/sources/${sourceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-signature': signature(secret, body) },
      body,
    });
    await res.body?.cancel();
    return res.status;
  };
  /** Another instance, or the CLI: its own cache, which this app's route does not share. */
  const elsewhere = createKnownSources();

  it('takes a secret rotated on this instance at once, and refuses the old one at once', async () => {
    expect(await post('old')).toBe(202);
    expect(await rotateSourceSecret(app.deps.db, app.deps.box, app.deps.knownSources, sourceId, 'new', clock.now())).toBe(true);
    expect(await post('old')).toBe(401);
    expect(await post('new')).toBe(202);
  });

  it('answers 404 at once for a source deleted on this instance', async () => {
    expect(await post('old')).toBe(202);
    expect(await deleteSource(app.deps.db, app.deps.knownSources, sourceId, clock.now())).toBe(true);
    expect(await post('old')).toBe(404);
  });

  it('takes a secret rotated elsewhere at its first delivery, and refuses the old one once the remembered source expires', async () => {
    expect(await post('old')).toBe(202);
    await rotateSourceSecret(app.deps.db, app.deps.box, elsewhere, sourceId, 'new', clock.now());
    // Remembered: this instance still holds the old secret, and reads no row for it.
    expect(await post('old')).toBe(202);
    clock.advance(SOURCE_CACHE_MS);
    expect(await post('old')).toBe(401);

    await rotateSourceSecret(app.deps.db, app.deps.box, elsewhere, sourceId, 'newer', clock.now());
    // A signature the remembered secret does not match reads the source again before refusing.
    expect(await post('newer')).toBe(202);
    expect(await post('new')).toBe(401);
    expect((await listSources(app.deps.db, 'T1')).find((s) => s.id === sourceId)).toMatchObject({ ignored: 3, rejected: 2 });
  });

  it('answers 404 for a source deleted elsewhere once the remembered source expires, and at once to a signature it does not match', async () => {
    expect(await post('old')).toBe(202);
    await deleteSource(app.deps.db, elsewhere, sourceId, clock.now());
    expect(await post('other')).toBe(404);
    expect(await post('old')).toBe(404);

    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Testflags', secret: 'old' }, clock.now())).id;
    expect(await post('old')).toBe(202);
    await deleteSource(app.deps.db, elsewhere, sourceId, clock.now());
    clock.advance(SOURCE_CACHE_MS - 1);
    expect(await post('old')).toBe(202);
    clock.advance(1);
    expect(await post('old')).toBe(404);
  });
});
