import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createWebhookOnlyOrganization, findOrganization, upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { findLiveSource } from '../../src/sources/sources.repository.js';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';
import { testDialects } from '../helpers/test-database.js';
import { testPushSource } from '../sources/test-push-sources.js';

const URL_PATTERN = /^https:\/\/flags\.example\.com\/api\/v1\/sources\/src_[a-z2-7]{24}$/;

describe.each(testDialects())('npx flag-alerts source on %s', (dialect) => {
  let cli: CliHarness;
  const key = randomBytes(32);
  // What the server opens sealed secrets with: the same ENCRYPTION_KEY.
  const box = createSecretBox(key);
  const run = (...argv: string[]) => cli.run('source', ...argv);

  beforeEach(async () => {
    // Testflags lets the admin choose the secret (we generate it); "Vendorflags" shows one to paste here.
    const vendor = testPushSource({
      kind: 'launchdarkly',
      label: 'Vendorflags',
      secretOrigin: 'platform',
      setupSteps: (url) => [`Paste ${url} in Vendorflags`],
    });
    cli = await cliHarness(dialect, key, [testPushSource(), vendor]);
    await upsertOrganization(cli.handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
  });
  afterEach(() => cli.close());

  const created = async (...argv: string[]) => {
    const { code, out, err } = await run('create', ...argv, '--json');
    expect({ code, err, lines: out.length }).toEqual({ code: 0, err: [], lines: 1 });
    return JSON.parse(out[0] ?? '') as Record<string, string>;
  };

  it('creates a source with a generated secret and prints exactly the --json line; the server can open the secret', async () => {
    const line = await created('--team', 'T1', '--kind', 'flipt');
    expect(Object.keys(line)).toEqual(['id', 'kind', 'url', 'secret']);
    expect(line.id).toMatch(/^src_/);
    expect(line.kind).toBe('flipt');
    expect(line.url).toMatch(URL_PATTERN);
    expect(line.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(line.url?.endsWith(line.id ?? '')).toBe(true);
    expect((await findLiveSource(cli.handle.db, box, line.id ?? ''))?.secrets).toEqual([line.secret]);
    const row = await cli.handle.db.selectFrom('sources').select(['name', 'secret_sealed']).executeTakeFirstOrThrow();
    expect(row.name).toBe('Testflags');
    expect(row.secret_sealed).not.toContain(line.secret);
  });

  it('requires --secret where the platform makes it, and keeps the one given', async () => {
    const refused = await run('create', '--team', 'T1', '--kind', 'launchdarkly');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/--secret is required for Vendorflags/);
    expect(await cli.handle.db.selectFrom('sources').selectAll().execute()).toEqual([]);

    const line = await created('--team', 'T1', '--kind', 'launchdarkly', '--secret', 'vendor-made-secret', '--name', 'Prod');
    expect(line).toMatchObject({ kind: 'launchdarkly', secret: 'vendor-made-secret' });
    expect((await findLiveSource(cli.handle.db, box, line.id ?? ''))?.secrets).toEqual(['vendor-made-secret']);
  });

  it('without --json says the same in words, with the platform’s setup steps for the URL', async () => {
    const { code, out } = await run('create', '--team', 'T1', '--kind', 'flipt', '--name', 'Staging flags');
    expect(code).toBe(0);
    const text = out.join('\n');
    const url = text.match(/https:\/\/flags\.example\.com\/api\/v1\/sources\/src_[a-z2-7]{24}/)?.[0] ?? '';
    expect(url).toMatch(URL_PATTERN);
    expect(text).toContain('"Staging flags" (Testflags) for T1');
    expect(text).toMatch(/secret \(shown only this once, paste it into Testflags\): [A-Za-z0-9_-]{43}/);
    expect(text).toContain(`1. In Testflags, open Settings → Webhooks and paste ${url}`);
    expect(text).toContain('2. Tick "flag changes" and save');
  });

  it('creates for a Slack team not seen yet, and for a webhook-only organization; refuses an unknown organization id', async () => {
    await created('--team', 'T0NEW', '--kind', 'flipt');
    expect(await findOrganization(cli.handle.db, 'T0NEW')).toMatchObject({ id: 'T0NEW' });
    const webhookOnly = await createWebhookOnlyOrganization(cli.handle.db, 'Webhooks only', 1);
    await created('--team', webhookOnly, '--kind', 'flipt');
    const unknown = await run('create', '--team', 'acme', '--kind', 'flipt');
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/no organization acme/);
  });

  it('lists the team’s sources in words and as JSON, without secrets', async () => {
    const a = await created('--team', 'T1', '--kind', 'flipt');
    await created('--team', 'T2', '--kind', 'flipt');
    const words = await run('list', '--team', 'T1');
    expect(words.code).toBe(0);
    expect(words.out[0]).toBe('ID\tKIND\tNAME\tURL\tLAST EVENT\tACCEPTED\tIGNORED\tREJECTED\tLAST ERROR');
    expect(words.out.slice(1)).toEqual([`${a.id}\tflipt\tTestflags\t${a.url}\t-\t0\t0\t0\t-`]);

    const json = await run('list', '--team', 'T1', '--json');
    const listed = JSON.parse(json.out[0] ?? '') as { createdAt: string }[];
    expect(listed[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(listed.map((l) => ({ ...l, createdAt: 'ISO' }))).toEqual([
      {
        id: a.id,
        kind: 'flipt',
        name: 'Testflags',
        url: a.url,
        createdAt: 'ISO',
        lastEventAt: null,
        accepted: 0,
        ignored: 0,
        rejected: 0,
        lastError: null,
        lastErrorAt: null,
      },
    ]);
    expect(json.out.join('\n')).not.toContain(a.secret);
    expect((await run('list', '--team', 'T9')).out.join('\n')).toMatch(/no sources for T9/);
  });

  it('rotates: a new generated secret, or the one given where the platform makes it; the old one is gone', async () => {
    const a = await created('--team', 'T1', '--kind', 'flipt');
    const rotated = await run('rotate', a.id ?? '');
    expect(rotated.code).toBe(0);
    const secret = rotated.out.join('\n').match(/new secret \(shown only this once, paste it into Testflags\): ([A-Za-z0-9_-]{43})/)?.[1];
    expect(secret).toBeDefined();
    expect(secret).not.toBe(a.secret);
    expect((await findLiveSource(cli.handle.db, box, a.id ?? ''))?.secrets).toEqual([secret]);

    const b = await created('--team', 'T1', '--kind', 'launchdarkly', '--secret', 'first');
    const needsSecret = await run('rotate', b.id ?? '');
    expect(needsSecret.code).toBe(2);
    expect(needsSecret.err.join('\n')).toMatch(/--secret is required to rotate a Vendorflags source/);
    expect((await run('rotate', b.id ?? '', '--secret', 'second')).code).toBe(0);
    expect((await findLiveSource(cli.handle.db, box, b.id ?? ''))?.secrets).toEqual(['second']);

    expect((await run('rotate', 'src_nosuchsource')).code).toBe(1);
  });

  it('deletes: the source is gone from lists and lookups, and a second delete fails', async () => {
    const a = await created('--team', 'T1', '--kind', 'flipt');
    const deleted = await run('delete', a.id ?? '');
    expect(deleted.code).toBe(0);
    expect(deleted.out.join('\n')).toMatch(/answers 404/);
    expect(await findLiveSource(cli.handle.db, box, a.id ?? '')).toBeUndefined();
    expect((await run('list', '--team', 'T1', '--json')).out).toEqual(['[]']);
    const again = await run('delete', a.id ?? '');
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toMatch(/no source/);
  });

  it('prints help for source and each subcommand', async () => {
    for (const args of [['--help'], ['create', '--help'], ['list', '--help'], ['rotate', '--help'], ['delete', '--help']]) {
      const { code, out, err } = await run(...args);
      expect({ args, code, err }).toEqual({ args, code: 0, err: [] });
      expect(out.join('\n')).toContain(args.length === 1 ? 'source rotate <ID>' : `source ${args[0]}`);
    }
  });

  // One test for the table: each case is cheap, a fresh database per case is not.
  const usageErrors: [string, string[], RegExp][] = [
    ['no subcommand', [], /missing subcommand/],
    ['an unknown subcommand', ['show'], /unknown subcommand "show"/],
    ['no --team', ['create', '--kind', 'flipt'], /--team <ORG> is required/],
    ['no --kind', ['create', '--team', 'T1'], /--kind is required/],
    ['an unknown kind', ['create', '--team', 'T1', '--kind', 'split'], /unknown --kind "split"/],
    ['a kind this version has no module for', ['create', '--team', 'T1', '--kind', 'unleash'], /--kind unleash is not available/],
    ['the polled amplitude kind', ['create', '--team', 'T1', '--kind', 'amplitude', '--api-key', 'k'], /amplitude.*not have yet/],
    ['an amplitude option on a push kind', ['create', '--team', 'T1', '--kind', 'flipt', '--every', '60'], /--every is for the polled Amplitude source/],
    ['an option of another subcommand', ['list', '--team', 'T1', '--kind', 'flipt'], /--kind does not apply to list/],
    ['an empty --secret', ['create', '--team', 'T1', '--kind', 'flipt', '--secret', ' '], /--secret must be/],
    ['rotate without an id', ['rotate'], /one source ID/],
    ['an unknown option', ['create', '--team', 'T1', '--kind', 'flipt', '--color', 'red'], /color/],
  ];
  it('exits 2 with a clear line for each usage error, creating nothing', async () => {
    for (const [label, args, message] of usageErrors) {
      const { code, err } = await run(...args);
      expect({ label, code }).toEqual({ label, code: 2 });
      expect(err.join('\n')).toMatch(message);
    }
    expect(await cli.handle.db.selectFrom('sources').selectAll().execute()).toEqual([]);
  });
});
