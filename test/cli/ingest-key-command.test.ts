import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateIngestKey, createKnownIngestKeys, KEY_CACHE_MS, type KnownIngestKeys } from '../../src/ingest-keys/ingest-keys.repository.js';
import { createWebhookOnlyOrganization, findOrganization, upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';
import { testDialects } from '../helpers/test-database.js';

describe.each(testDialects())('npx flag-alerts ingest-key on %s', (dialect) => {
  let cli: CliHarness;
  let handle: DatabaseHandle;
  // The keys a server on this database would trust.
  let known: KnownIngestKeys;
  const run = (...argv: string[]) => cli.run(...argv);

  beforeEach(async () => {
    cli = await cliHarness(dialect);
    handle = cli.handle;
    known = createKnownIngestKeys();
  });
  afterEach(() => cli.close());

  it('creates a key for a team without a Slack install, prints it once with a curl hint, and the key works', async () => {
    const { code, out, err } = await run('ingest-key', 'create', '--team', 'T0WEBHOOK', '--name', 'deploy pipeline');
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const key = out.join('\n').match(/fa_[A-Za-z0-9_-]{43}/)?.[0] ?? '';
    expect(key).not.toBe('');
    expect(out.join('\n')).toContain('curl -X POST https://flags.example.com/api/v1/flag-events');
    expect(await authenticateIngestKey(handle.db, known, key, Date.now())).toMatchObject({ organizationId: 'T0WEBHOOK' });
    expect(await findOrganization(handle.db, 'T0WEBHOOK')).toMatchObject({ id: 'T0WEBHOOK' });

    const listed = await run('ingest-key', 'list', '--team', 'T0WEBHOOK');
    expect(listed.code).toBe(0);
    expect(listed.out.join('\n')).toContain('deploy pipeline');
    expect(listed.out.join('\n')).toContain(key.slice(0, 10));
    expect(listed.out.join('\n')).not.toContain(key);
  });

  it('does not rename an organization that already exists', async () => {
    await upsertOrganization(handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
    expect((await run('ingest-key', 'create', '--team', 'T1')).code).toBe(0);
    expect((await findOrganization(handle.db, 'T1'))?.name).toBe('Acme');
  });

  it('takes the id of a webhook-only organization, as the settings page shows it, for create, list and revoke', async () => {
    const id = await createWebhookOnlyOrganization(handle.db, 'Webhooks Inc', Date.now());
    const created = await run('ingest-key', 'create', '--team', id);
    expect({ code: created.code, err: created.err }).toEqual({ code: 0, err: [] });
    const key = created.out.join('\n').match(/fa_[A-Za-z0-9_-]{43}/)?.[0] ?? '';
    expect(await authenticateIngestKey(handle.db, known, key, Date.now())).toMatchObject({ organizationId: id });
    expect((await findOrganization(handle.db, id))?.name).toBe('Webhooks Inc');
    const listed = await run('ingest-key', 'list', '--team', id);
    expect(listed.code).toBe(0);
    expect(listed.out.join('\n')).toContain(key.slice(0, 10));
    const keyId = created.out[0]?.match(/ingest key (\d+)/)?.[1] ?? '';
    expect((await run('ingest-key', 'revoke', keyId, '--team', id)).code).toBe(0);
  });

  it('refuses an id that is neither an organization nor a Slack team, and creates nothing', async () => {
    for (const args of [
      ['create', '--team', 'acme'],
      ['list', '--team', 'W0NOSUCHORG'],
    ]) {
      const { code, err } = await run('ingest-key', ...args);
      expect(code).toBe(1);
      expect(err.join('\n')).toMatch(
        /no organization (acme|W0NOSUCHORG) \(use a Slack team ID like T0123ABCD, or an organization ID the settings page shows\)/,
      );
    }
    expect(await handle.db.selectFrom('organizations').selectAll().execute()).toEqual([]);
    expect(await handle.db.selectFrom('ingest_keys').selectAll().execute()).toEqual([]);
  });

  it('revokes a key of the team only', async () => {
    const created = await run('ingest-key', 'create', '--team', 'T1');
    const key = created.out.join('\n').match(/fa_[A-Za-z0-9_-]{43}/)?.[0] ?? '';
    const id = created.out[0]?.match(/ingest key (\d+)/)?.[1] ?? '';
    await run('ingest-key', 'create', '--team', 'T2');

    const wrongTeam = await run('ingest-key', 'revoke', id, '--team', 'T2');
    expect(wrongTeam.code).toBe(1);
    expect(wrongTeam.err.join('\n')).toContain(`no active ingest key ${id}`);
    expect(await authenticateIngestKey(handle.db, known, key, Date.now())).toBeDefined();

    const revoked = await run('ingest-key', 'revoke', id, '--team', 'T1');
    expect(revoked.code).toBe(0);
    // Another process revoked it: this one trusts what it read for at most KEY_CACHE_MS.
    expect(await authenticateIngestKey(handle.db, known, key, Date.now() + KEY_CACHE_MS)).toBeUndefined();
    expect((await run('ingest-key', 'list', '--team', 'T1')).out.join('\n')).toMatch(/revoked/);
  });

  it.each<[string, string[], RegExp]>([
    ['no subcommand', [], /missing subcommand/],
    ['an unknown subcommand', ['rotate', '--team', 'T1'], /unknown subcommand "rotate"/],
    ['no --team', ['create'], /--team <TEAM_ID> is required/],
    ['an unknown option', ['create', '--team', 'T1', '--color', 'red'], /color/],
    ['revoke without an id', ['revoke', '--team', 'T1'], /one key ID/],
    ['revoke with a non-numeric id', ['revoke', 'abc', '--team', 'T1'], /one key ID/],
    ['an empty --name', ['create', '--team', 'T1', '--name', ' '], /--name/],
  ])('exits 2 with a clear line for %s', async (_label, args, message) => {
    const { code, err } = await run('ingest-key', ...args);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(message);
    expect(await handle.db.selectFrom('ingest_keys').selectAll().execute()).toEqual([]);
  });
});
