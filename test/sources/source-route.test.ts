import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { createSource, deleteSource, listSources } from '../../src/sources/sources.repository.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { signature, testPushSource } from './test-push-sources.js';

const SECRET = 'whsec-test-secret';

/** The route's own mechanics, with a platform of the test's own: everything up to handing changes to ingest. */
describe('POST /api/v1/sources/<id>', () => {
  let app: TestApp;
  let sourceId: string;
  let translated: number;

  beforeEach(async () => {
    translated = 0;
    const platform = testPushSource();
    const counting = {
      ...platform,
      translate: (body: unknown, request: Parameters<typeof platform.translate>[1]) => ((translated += 1), platform.translate(body, request)),
    };
    app = await startTestApp({ sources: [counting] });
    await upsertOrganization(app.deps.db, { id: 'T1', name: 'Acme', enterpriseId: null });
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Testflags', secret: SECRET }, 1000)).id;
  });
  afterEach(() => app.stop());

  const post = (body: string, headers: Record<string, string> = {}, id = sourceId) =>
    fetch(`${app.url}/api/v1/sources/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, headers: Record<string, string> = {}) => post(body, { 'x-test-signature': signature(SECRET, body), ...headers });
  const receipts = () => app.deps.db.selectFrom('source_receipts').selectAll().execute();
  const stored = async () => (await listSources(app.deps.db, 'T1'))[0];
  const metrics = async () => (await fetch(`${app.url}/metrics`)).text();

  it('answers 404 for an unknown id, a deleted source, and a source of a kind this build has no module for', async () => {
    const unknown = await post('{}', {}, 'src_nosuchsourceaaaaaaaaaaaaa');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/unknown or deleted source/);

    const other = await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'launchdarkly', name: 'LD', secret: SECRET }, 1000);
    expect((await post('{}', {}, other.id)).status).toBe(404);

    await deleteSource(app.deps.db, app.deps.knownSources, sourceId, 2000);
    expect((await signed('{"changes":[]}')).status).toBe(404);
    expect(translated).toBe(0);
  });

  it('takes the id case-insensitively and with a trailing slash, as the other routes take paths', async () => {
    const body = '{"changes":[],"ignored":1}';
    const res = await post(body, { 'x-test-signature': signature(SECRET, body) }, `${sourceId.toUpperCase()}/`);
    expect(res.status).toBe(202);
  });

  it('refuses a body over 1 MiB with 413 and a non-JSON type with 415, before verifying', async () => {
    const big = `{"changes":[],"pad":"${'x'.repeat(1024 * 1024)}"}`;
    expect((await signed(big)).status).toBe(413);
    const text = await signed('{"changes":[]}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ error: 'Content-Type must be application/json, not text/plain' });
    expect(translated).toBe(0);
    expect(await metrics()).toMatch(/flag_alerts_source_events_total\{kind="flipt",outcome="invalid"\} 2/);
  });

  it('reads a body without Content-Type as JSON (LaunchDarkly and ConfigCat document none), and answers 400, not 500, when it is not', async () => {
    // A Buffer body makes fetch send no Content-Type at all.
    const untyped = (body: string) =>
      fetch(`${app.url}/api/v1/sources/${sourceId}`, { method: 'POST', headers: { 'x-test-signature': signature(SECRET, body) }, body: Buffer.from(body) });
    const json = await untyped('{"changes":[],"ignored":1}');
    expect(json.status).toBe(202);

    for (const body of ['flag=new-checkout&on=true', '<flag key="new-checkout" on="true"/>']) {
      const res = await untyped(body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'body is not valid JSON', issues: [{ path: '(body)' }] });
    }
    expect(await stored()).toMatchObject({ accepted: 0, ignored: 1, rejected: 2 });
    expect(app.logs()).not.toContain('source event failed');
  });

  it('answers 401 to a missing or wrong signature or a tampered body, stores nothing, and keeps the reason and hint on the source', async () => {
    const body = '{"id":"e-1","changes":[],"ignored":1}';
    const missing = await post(body);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'missing signature', hint: 'is signing turned on in Testflags?' });
    expect((await post(body, { 'x-test-signature': signature('wrong-secret', body) })).status).toBe(401);
    expect((await post(body.replace('e-1', 'e-2'), { 'x-test-signature': signature(SECRET, body) })).status).toBe(401);

    expect(translated).toBe(0);
    expect(await receipts()).toEqual([]);
    expect(await stored()).toMatchObject({
      rejected: 3,
      accepted: 0,
      lastEventAt: null,
      lastError: 'signature mismatch: is the secret from Testflags pasted here?',
    });
    expect(app.logs()).not.toContain(SECRET);
    expect(await metrics()).toMatch(/flag_alerts_source_events_total\{kind="flipt",outcome="unauthorized"\} 3/);
  });

  it('answers 400 naming what is wrong for a signed body that is not JSON or not the platform’s shape, and keeps the error on the source', async () => {
    const notJson = await signed('{"changes": [');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'body is not valid JSON', issues: [{ path: '(body)' }] });

    const wrongShape = await signed('{"changes": 3}');
    expect(wrongShape.status).toBe(400);
    expect(await wrongShape.json()).toEqual({ error: 'not a Testflags event', issues: [{ path: 'changes', message: 'expected an array' }] });
    expect(await receipts()).toEqual([]);
    expect(await stored()).toMatchObject({ rejected: 2, lastError: 'not a Testflags event: changes expected an array' });
  });

  it('answers 400, not 500, when the platform module throws on a payload it did not foresee', async () => {
    await app.stop();
    app = await startTestApp({
      sources: [
        testPushSource({
          translate: () => {
            throw new TypeError("Cannot read properties of undefined (reading 'key')");
          },
        }),
      ],
    });
    await upsertOrganization(app.deps.db, { id: 'T1', name: 'Acme', enterpriseId: null });
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Testflags', secret: SECRET }, 1000)).id;
    const res = await signed('{"changes":[]}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'not a Testflags webhook body', issues: [{ path: '(body)', message: 'unexpected shape' }] });
  });

  it('acknowledges a delivery with nothing to notify as ignored, and its repeat as a duplicate: by the platform’s id, else by the raw body', async () => {
    const withId = '{"id":"evt-1","changes":[],"ignored":2}';
    const first = await signed(withId);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 0, ignored: 2, duplicates: 0 });
    // The same event id with another body (a platform's retry re-serialized) is the same delivery.
    const retried = await signed('{"id":"evt-1","changes":[], "ignored":2}');
    expect(await retried.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });

    const noId = '{"changes":[],"ignored":1,"at":"2026-12-03T10:00:00Z"}';
    expect(await (await signed(noId)).json()).toEqual({ accepted: 0, ignored: 1, duplicates: 0 });
    expect(await (await signed(noId)).json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    const keys = (await receipts()).map((r) => r.receipt_key).sort();
    expect(keys[0]).toBe('id:evt-1');
    expect(keys[1]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keys).toHaveLength(2);

    expect(await stored()).toMatchObject({ accepted: 0, ignored: 3, rejected: 0, lastError: null });
    expect((await stored())?.lastEventAt).toBeTypeOf('number');
    const text = await metrics();
    expect(text).toMatch(/flag_alerts_source_events_total\{kind="flipt",outcome="ignored"\} 3/);
    expect(text).toMatch(/flag_alerts_source_events_total\{kind="flipt",outcome="duplicate"\} 2/);
  });

  it('answers 404 to a GET, a missing id and a path below a source', async () => {
    expect((await fetch(`${app.url}/api/v1/sources/${sourceId}`)).status).toBe(404);
    expect((await post('{}', {}, '')).status).toBe(404);
    expect((await post('{}', {}, `${sourceId}/more`)).status).toBe(404);
  });
});
