import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { createSource, recordSourceRejection } from '../../src/sources/sources.repository.js';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';

// A name that clears the screen, homes the cursor and prints a forged second row (issue 17, item 9).
const FORGING = 'ci\u001b[2J\u001b[H\n99\tadmin-backdoor\tfa_live_x…\t2026-01-01 00:00\t-\tactive\u0007\u202e';

/** No byte that a terminal takes as a command, and exactly the columns of the header in every row. */
function expectPlainTable(out: string[], columns: number): void {
  for (const line of out) {
    // Tabs separate the columns; nothing else of the kind may be left.
    expect(line.replaceAll('\t', '')).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(line.split('\t')).toHaveLength(columns);
  }
}

describe('names with control characters and the CLI', () => {
  let cli: CliHarness;
  const key = randomBytes(32);
  beforeAll(async () => {
    cli = await cliHarness('sqlite', key);
    await upsertOrganization(cli.handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
  });
  afterAll(() => cli.close());

  it('refuses them in ingest-key and source names, creating nothing', async () => {
    for (const name of [FORGING, 'line\nbreak', 'tab\there', 'bell\u0007', 'csi\u009b31m', 'rtl\u202eevil']) {
      const key = await cli.run('ingest-key', 'create', '--team', 'T1', '--name', name);
      expect(key.code).toBe(2);
      expect(key.err.join('\n')).toContain('--name: use no control characters');
      const source = await cli.run('source', 'create', '--team', 'T1', '--kind', 'flipt', '--name', name);
      expect(source.code).toBe(2);
      expect(source.err.join('\n')).toContain('--name: use no control characters');
    }
    expect(await cli.handle.db.selectFrom('ingest_keys').selectAll().execute()).toEqual([]);
    expect(await cli.handle.db.selectFrom('sources').selectAll().execute()).toEqual([]);
  });

  it('strips them from names stored before, in ingest-key list', async () => {
    await createIngestKey(cli.handle.db, { organizationId: 'T1', name: FORGING, createdBy: 'cli' });
    const { code, out } = await cli.run('ingest-key', 'list', '--team', 'T1');
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expectPlainTable(out, 6);
    expect(out[1]).toContain('ci[2J[H99admin-backdoorfa_live_x…2026-01-01 00:00-active');
  });

  it('strips them from source names and a platform’s error text, in source list', async () => {
    const source = await createSource(
      cli.handle.db,
      createSecretBox(key),
      { organizationId: 'T1', kind: 'flipt', name: FORGING, secret: 's'.repeat(32) },
      Date.now(),
    );
    await recordSourceRejection(cli.handle.db, source.id, 'bad signature\r\n\u001b[32mOK', Date.now());
    const { code, out } = await cli.run('source', 'list', '--team', 'T1');
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expectPlainTable(out, 9);
    expect(out[1]).toContain('bad signature[32mOK');
  });
});
