import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { findOrganization, upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import type { Requester } from '../../src/roles/requester.js';
import { createKnownSources } from '../../src/sources/known-sources.js';
import { createSourceAs } from '../../src/sources/operations/create.js';
import { deleteSourceAs } from '../../src/sources/operations/delete.js';
import type { SourceOperationsDeps } from '../../src/sources/operations/deps.js';
import { listSourcesAs } from '../../src/sources/operations/list.js';
import { rotateSourceAs } from '../../src/sources/operations/rotate.js';
import { checkSourceForm, type SourceForm } from '../../src/sources/operations/source-form.js';
import { createSourceRegistry } from '../../src/sources/registry.js';
import { findLiveSource, listSources } from '../../src/sources/sources.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';
import { testPushSource } from './test-push-sources.js';

const PUBLIC_URL = 'https://flags.example.com';
const URL_OF = /^https:\/\/flags\.example\.com\/api\/v1\/sources\/(src_[a-z2-7]{24})$/;

// Testflags lets the admin choose the secret (we generate it); "Vendorflags" makes its own, to paste here.
const registry = createSourceRegistry([
  testPushSource(),
  testPushSource({ kind: 'growthbook', label: 'Vendorflags', secretOrigin: 'platform', setupSteps: (url) => [`Paste ${url} in Vendorflags`] }),
]);

describe('the rules for a new source', () => {
  const cases: [string, SourceForm, string, RegExp][] = [
    ['no platform', { kind: ' ' }, 'kind', /^Platform is required: one of launchdarkly, /],
    ['an unknown platform', { kind: 'split' }, 'kind', /^unknown Platform "split": one of /],
    ['the polled Amplitude', { kind: 'amplitude' }, 'kind', /^Platform amplitude is for the polled Amplitude source, which this version does not have yet/],
    ['a platform this build has no module for', { kind: 'unleash' }, 'kind', /^Platform unleash is not available in this version yet$/],
    ['an empty name', { kind: 'flipt', name: '  ' }, 'name', /^Name must be 1 to 100 characters$/],
    ['a long name', { kind: 'flipt', name: 'n'.repeat(101) }, 'name', /^Name must be 1 to 100 characters$/],
    ['an empty secret', { kind: 'flipt', secret: ' ' }, 'secret', /^Secret must be 1 to 500 characters$/],
    ['a long secret', { kind: 'flipt', secret: 's'.repeat(501) }, 'secret', /^Secret must be 1 to 500 characters$/],
    ['no secret where the platform makes it', { kind: 'growthbook' }, 'secret', /^Secret is required for Vendorflags: Vendorflags makes the secret/],
  ];
  it('names the field and the reason for each refusal', () => {
    for (const [label, form, field, reason] of cases) {
      const checked = checkSourceForm(registry, form);
      if (checked.ok) throw new Error(`${label}: accepted`);
      expect({ label, field: checked.error.field }).toEqual({ label, field });
      expect(checked.error.reason(field === 'kind' ? 'Platform' : field === 'name' ? 'Name' : 'Secret')).toMatch(reason);
    }
  });

  it('trims what was typed and defaults the name to the platform’s', () => {
    expect(checkSourceForm(registry, { kind: ' flipt ', name: ' Prod ', secret: ' s3 ' })).toMatchObject({ ok: true, name: 'Prod', secret: 's3' });
    expect(checkSourceForm(registry, { kind: 'flipt' })).toMatchObject({ ok: true, name: 'Testflags', secret: undefined });
  });
});

describe.each(testDialects())('source operations on %s', (dialect) => {
  let handle: DatabaseHandle;
  let deps: SourceOperationsDeps;
  let clock = 1_000;
  const box = createSecretBox(randomBytes(32));
  const admin: Requester = { organizationId: 'T1', actor: 'U1', role: 'admin' };
  const otherAdmin: Requester = { organizationId: 'T2', actor: 'U9', role: 'admin' };

  beforeAll(async () => {
    handle = (await createTestDatabase(dialect)).open();
    deps = { db: handle.db, box, sources: registry, publicUrl: PUBLIC_URL, now: () => clock, knownSources: createKnownSources() };
    await upsertOrganization(handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
    await upsertOrganization(handle.db, { id: 'T2', name: 'Other', enterpriseId: null });
    await setMemberRole(handle.db, { organizationId: 'T1', userId: 'U1', role: 'admin', updatedBy: 'U1' });
  });
  afterAll(() => handle.close());

  const created = async (requester: Requester, form: SourceForm) => {
    const outcome = await createSourceAs(deps, requester, form);
    if (outcome.kind !== 'created') throw new Error(`not created: ${outcome.kind}`);
    return outcome;
  };

  it('creates with a generated secret, the source’s URL and the platform’s setup steps for that URL', async () => {
    clock = 5_000;
    const outcome = await created(admin, { kind: 'flipt', name: 'Staging' });
    const id = URL_OF.exec(outcome.source.url)?.[1];
    expect(id).toBe(outcome.source.id);
    expect(outcome).toMatchObject({ generated: true, source: { name: 'Staging', kind: 'flipt', label: 'Testflags', organizationId: 'T1', createdAt: 5_000 } });
    expect(outcome.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(outcome.setupSteps).toEqual([`In Testflags, open Settings → Webhooks and paste ${outcome.source.url}`, 'Tick "flag changes" and save']);
    expect((await findLiveSource(handle.db, box, outcome.source.id))?.secrets).toEqual([outcome.secret]);
  });

  it('keeps the secret pasted from a platform that makes it, and stores nothing for a refused form', async () => {
    const before = (await listSources(handle.db, 'T1')).length;
    const refused = await createSourceAs(deps, admin, { kind: 'growthbook', name: 'GB' });
    expect(refused).toMatchObject({ kind: 'invalid', error: { field: 'secret' } });
    expect(await listSources(handle.db, 'T1')).toHaveLength(before);

    const outcome = await created(admin, { kind: 'growthbook', secret: 'ewhk_pasted' });
    expect(outcome).toMatchObject({ generated: false, secret: 'ewhk_pasted', source: { name: 'Vendorflags' } });
    expect((await findLiveSource(handle.db, box, outcome.source.id))?.secrets).toEqual(['ewhk_pasted']);
  });

  it('brings a new organization into being only once the form passed (the CLI’s Slack team not seen yet)', async () => {
    const newcomer: Requester = { organizationId: 'T0NEW', actor: 'operator', role: 'admin' };
    expect((await createSourceAs(deps, newcomer, { kind: 'split' }, { newOrganization: { name: 'T0NEW' } })).kind).toBe('invalid');
    expect(await findOrganization(handle.db, 'T0NEW')).toBeUndefined();
    expect((await createSourceAs(deps, newcomer, { kind: 'flipt' }, { newOrganization: { name: 'T0NEW' } })).kind).toBe('created');
    expect(await findOrganization(handle.db, 'T0NEW')).toMatchObject({ name: 'T0NEW' });
  });

  it('lets only admins create, rotate or delete, naming the admins to ask; members and viewers may list', async () => {
    const source = (await created(admin, { kind: 'flipt', name: 'Guarded' })).source;
    for (const role of ['member', 'viewer', 'none'] as const) {
      const person: Requester = { organizationId: 'T1', actor: 'U2', role };
      const refusal = { kind: 'refused', role, admins: ['U1'] };
      expect(await createSourceAs(deps, person, { kind: 'flipt' })).toEqual(refusal);
      expect(await rotateSourceAs(deps, person, source.id, undefined)).toEqual(refusal);
      expect(await deleteSourceAs(deps, person, source.id)).toEqual(refusal);
      const listed = await listSourcesAs(deps, person);
      if (role === 'none') expect(listed).toEqual(refusal);
      else expect(listed.kind === 'listed' && listed.sources.map((s) => s.id)).toContain(source.id);
    }
    expect((await findLiveSource(handle.db, box, source.id))?.secrets).toHaveLength(1);
    expect((await listSources(handle.db, 'T1')).find((s) => s.id === source.id)).toBeDefined();
  });

  it('lists the organization’s own sources with URL, platform name and counts, never a secret', async () => {
    const outcome = await listSourcesAs(deps, otherAdmin);
    expect(outcome).toEqual({ kind: 'listed', sources: [] });
    const mine = await listSourcesAs(deps, admin);
    if (mine.kind !== 'listed') throw new Error('refused');
    expect(mine.sources.length).toBeGreaterThan(0);
    for (const s of mine.sources) {
      expect(s.url).toBe(`${PUBLIC_URL}/api/v1/sources/${s.id}`);
      expect(s).toMatchObject({ organizationId: 'T1', accepted: 0, ignored: 0, rejected: 0, lastError: null });
      expect(Object.keys(s)).not.toContain('secret');
    }
  });

  it('rotates: a new generated secret, or the one pasted where the platform makes it; the old one stops working', async () => {
    const own = await created(admin, { kind: 'flipt' });
    const rotated = await rotateSourceAs(deps, admin, own.source.id, undefined);
    if (rotated.kind !== 'rotated') throw new Error(rotated.kind);
    expect(rotated.generated).toBe(true);
    expect(rotated.secret).not.toBe(own.secret);
    expect((await findLiveSource(handle.db, box, own.source.id))?.secrets).toEqual([rotated.secret]);

    const vendor = await created(admin, { kind: 'growthbook', secret: 'first' });
    const needs = await rotateSourceAs(deps, admin, vendor.source.id, undefined);
    expect(needs.kind === 'invalid' && needs.error.reason('--secret')).toMatch(
      /^--secret is required to rotate a Vendorflags source: make a new secret in Vendorflags/,
    );
    const tooLong = await rotateSourceAs(deps, admin, vendor.source.id, 'x'.repeat(501));
    expect(tooLong).toMatchObject({ kind: 'invalid', error: { field: 'secret' } });
    expect(await rotateSourceAs(deps, admin, vendor.source.id, ' second ')).toMatchObject({ kind: 'rotated', secret: 'second', generated: false });
    expect((await findLiveSource(handle.db, box, vendor.source.id))?.secrets).toEqual(['second']);
  });

  it('keeps organizations apart: another organization’s source id is not found, and stays as it was', async () => {
    const theirs = await created(otherAdmin, { kind: 'flipt', name: 'Theirs' });
    expect(await rotateSourceAs(deps, admin, theirs.source.id, 'mine-now')).toEqual({ kind: 'not-found' });
    expect(await deleteSourceAs(deps, admin, theirs.source.id)).toEqual({ kind: 'not-found' });
    expect((await findLiveSource(handle.db, box, theirs.source.id))?.secrets).toEqual([theirs.secret]);
    expect(await rotateSourceAs(deps, admin, 'src_nosuchsource', undefined)).toEqual({ kind: 'not-found' });
  });

  it('deletes: gone from the list and the route’s lookup; a second delete is not found', async () => {
    const own = await created(admin, { kind: 'flipt', name: 'Doomed' });
    expect(await deleteSourceAs(deps, admin, own.source.id)).toMatchObject({ kind: 'deleted', source: { id: own.source.id, name: 'Doomed' } });
    expect(await findLiveSource(handle.db, box, own.source.id)).toBeUndefined();
    expect((await listSources(handle.db, 'T1')).map((s) => s.id)).not.toContain(own.source.id);
    expect(await deleteSourceAs(deps, admin, own.source.id)).toEqual({ kind: 'not-found' });
    expect(await rotateSourceAs(deps, admin, own.source.id, undefined)).toEqual({ kind: 'not-found' });
  });
});
