import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateAlertForm, type AlertForm } from '../../src/alerts/alert-form.js';
import { createAlert, findAlert, updateAlert } from '../../src/alerts/alerts.repository.js';
import { openSigningKey } from '../../src/alerts/alerts.repository.js';
import type { Resolver } from '../../src/net/address-guard.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';

const base: AlertForm = {
  name: 'Checkout',
  projectId: '123',
  scope: 'project',
  destination: 'webhook',
  webhookUrl: 'https://hooks.example.com/flags',
  signingKey: 'sixteen-chars-key!',
  events: ['created', 'updated', 'deleted'],
};
const publicResolver: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
const privateResolver: Resolver = async () => [
  { address: '93.184.215.14', family: 4 },
  { address: '10.1.2.3', family: 4 },
];
const metadataResolver: Resolver = async () => [{ address: '169.254.169.254', family: 4 }];

describe.each(testDialects())('validateAlertForm on %s', (dialect) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ dialect });
    await app.deps.db
      .insertInto('organizations')
      .values([
        { id: 'T1', name: 'one', enterprise_id: null, default_role: 'member', created_at: 1 },
        { id: 'T2', name: 'two', enterprise_id: null, default_role: 'member', created_at: 1 },
      ])
      .execute();
  });
  afterEach(async () => {
    await app.stop();
  });

  const validate = (form: Partial<AlertForm>, options: { editingId?: number; resolver?: Resolver } = {}) =>
    validateAlertForm(app.deps, 'T1', { ...base, ...form }, { resolver: publicResolver, ...options });

  it('accepts a valid webhook form and returns the alert to store', async () => {
    const result = await validate({ name: '  Checkout  ', events: ['deleted', 'created'] });
    expect(result).toEqual({
      ok: true,
      keepSigningKey: false,
      status: 'active',
      alert: {
        name: 'Checkout',
        projectId: 123,
        scope: { type: 'project' },
        actions: ['created', 'deleted'],
        destination: { type: 'webhook', url: 'https://hooks.example.com/flags', signingKey: 'sixteen-chars-key!' },
      },
    });
  });

  it.each([
    ['a missing name', { name: '   ' }, 'name'],
    ['a blank project', { projectId: '   ' }, 'project'],
    ['a project key over 500 characters', { projectId: 'p'.repeat(501) }, 'project'],
    ['an unknown scope', { scope: 'flag' }, 'scope'],
    ['a deployment scope without deployment', { scope: 'deployment', deploymentId: '' }, 'deployment'],
    ['a tag scope without tags', { scope: 'tag', tags: [' ', ''] }, 'tags'],
    ['an unknown destination', { destination: 'email' }, 'destination'],
    ['a slack destination without channel', { destination: 'slack', channelId: '' }, 'channel'],
    ['a malformed URL', { webhookUrl: 'not a url' }, 'webhookUrl'],
    ['a plain http URL', { webhookUrl: 'http://hooks.example.com/flags' }, 'webhookUrl'],
    ['a loopback address', { webhookUrl: 'https://127.0.0.1/hook' }, 'webhookUrl'],
    ['a metadata address literal', { webhookUrl: 'https://169.254.169.254/latest' }, 'webhookUrl'],
    // IPv6 spellings of refused IPv4 addresses, and IPv6 ranges that are not global unicast (issue 17).
    ['an IPv4-compatible loopback literal', { webhookUrl: 'https://[::127.0.0.1]/hook' }, 'webhookUrl'],
    ['a 6to4 loopback literal', { webhookUrl: 'https://[2002:7f00:1::]/hook' }, 'webhookUrl'],
    ['an IPv4-translated loopback literal', { webhookUrl: 'https://[::ffff:0:7f00:1]/hook' }, 'webhookUrl'],
    ['a NAT64 private literal', { webhookUrl: 'https://[64:ff9b::a00:1]/hook' }, 'webhookUrl'],
    ['a site-local literal', { webhookUrl: 'https://[fec0::1]/hook' }, 'webhookUrl'],
    ['a discard-only literal', { webhookUrl: 'https://[100::1]/hook' }, 'webhookUrl'],
    ['a documentation literal', { webhookUrl: 'https://[2001:db8::1]/hook' }, 'webhookUrl'],
    ['a short signing key', { signingKey: 'short-key' }, 'signingKey'],
    ['no events', { events: [] }, 'events'],
    ['an unknown event', { events: ['created', 'renamed'] }, 'events'],
    // Found by the property test on PostgreSQL (text cannot hold U+0000): refused on both databases.
    ['a NUL in the name', { name: 'a\u0000b' }, 'name'],
    ['a NUL in the channel', { destination: 'slack', channelId: 'C1\u0000' }, 'channel'],
  ] as const)('refuses %s on its field', async (_label, form, field) => {
    const result = await validate(form as Partial<AlertForm>);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
  });

  it('refuses a host that resolves to a private or metadata address, with the resolver injected', async () => {
    for (const resolver of [privateResolver, metadataResolver]) {
      const result = await validate({}, { resolver });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.webhookUrl).toMatch(/private or reserved/);
    }
  });

  it('allows private addresses when WEBHOOK_ALLOW_PRIVATE_NETWORKS is set', async () => {
    const open = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const result = await validateAlertForm(open.deps, 'T1', { ...base, webhookUrl: 'https://10.0.0.5/hook' });
      expect(result.ok).toBe(true);
    } finally {
      await open.stop();
    }
  });

  it('checks a deployment against the catalog once the catalog knows the project', async () => {
    const free = await validate({ scope: 'deployment', deploymentId: '99' });
    expect(free.ok && free.alert.scope).toEqual({ type: 'deployment', deploymentId: 99, deploymentLabel: null });

    await app.deps.db
      .insertInto('catalog_deployments')
      .values([
        { organization_id: 'T1', project_id: '123', deployment_id: '7', label: 'production', updated_at: 1 },
        { organization_id: 'T2', project_id: '123', deployment_id: '99', label: 'other tenant', updated_at: 1 },
      ])
      .execute();
    const unknown = await validate({ scope: 'deployment', deploymentId: '99' });
    expect(unknown).toEqual({ ok: false, errors: { deployment: 'Deployment 99 is not in project 123.' } });
    const known = await validate({ scope: 'deployment', deploymentId: '7' });
    expect(known.ok && known.alert.scope).toEqual({ type: 'deployment', deploymentId: 7, deploymentLabel: 'production' });
  });

  it('refuses a duplicate of an alert with the same project, scope and destination, in the same org only', async () => {
    const first = await validate({ scope: 'tag', tags: ['b', 'a'] });
    if (!first.ok) throw new Error('expected valid');
    const stored = await createAlert(app.deps.db, app.deps.box, { organizationId: 'T1', createdBy: 'U1', alert: first.alert });
    const again = await validate({ name: 'Another name', scope: 'tag', tags: ['a', 'b', 'a'] });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.errors.webhookUrl).toContain('"Checkout" already sends');
    expect((await validate({ scope: 'tag', tags: ['a'] })).ok).toBe(true);
    expect((await validateAlertForm(app.deps, 'T2', { ...base, scope: 'tag', tags: ['a', 'b'] }, { resolver: publicResolver })).ok).toBe(true);
    // editing the alert itself is not a duplicate
    expect((await validate({ scope: 'tag', tags: ['a', 'b'] }, { editingId: stored.id })).ok).toBe(true);
  });

  it('keeps the stored signing key when an edit leaves the key empty', async () => {
    const first = await validate({});
    if (!first.ok) throw new Error('expected valid');
    const stored = await createAlert(app.deps.db, app.deps.box, { organizationId: 'T1', createdBy: 'U1', alert: first.alert });
    const edit = await validate({ name: 'Renamed', signingKey: '' }, { editingId: stored.id });
    expect(edit.ok && edit.keepSigningKey).toBe(true);
    if (!edit.ok) throw new Error('expected valid');
    await updateAlert(app.deps.db, app.deps.box, { organizationId: 'T1', id: stored.id, alert: edit.alert, keepSigningKey: edit.keepSigningKey });
    const after = await findAlert(app.deps.db, 'T1', stored.id);
    expect(after?.name).toBe('Renamed');
    expect(after && openSigningKey(app.deps.box, after)).toBe('sixteen-chars-key!');
    // a new alert has no key to keep
    const fresh = await validate({ signingKey: '' });
    expect(fresh.ok).toBe(false);
    // another org's alert id gives nothing to keep either
    const foreign = await validateAlertForm(app.deps, 'T2', { ...base, signingKey: '' }, { editingId: stored.id, resolver: publicResolver });
    expect(foreign.ok).toBe(false);
  });
});
