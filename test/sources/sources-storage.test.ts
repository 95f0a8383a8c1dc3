import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { createKnownSources } from '../../src/sources/known-sources.js';
import { claimReceipts, pruneReceipts } from '../../src/sources/source-receipts.repository.js';
import {
  createSource,
  deleteSource,
  findLiveSource,
  listSources,
  recordSourceDeliveries,
  recordSourceRejection,
  rotateSourceSecret,
} from '../../src/sources/sources.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/test-database.js';

const HOUR = 3600_000;

describe.each(testDialects())('sources and their receipts on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const box = createSecretBox(randomBytes(32));

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    handle = database.open();
    await migrateToLatest(handle.db, database.options.schema);
    await upsertOrganization(handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
    await upsertOrganization(handle.db, { id: 'T2', name: 'Other', enterpriseId: null });
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('creates a source with an unguessable id and its secret sealed, and finds it with the secret opened', async () => {
    const a = await createSource(handle.db, box, { organizationId: 'T1', kind: 'launchdarkly', name: 'LD prod', secret: 'ld-secret-1' }, 1000);
    const b = await createSource(handle.db, box, { organizationId: 'T1', kind: 'unleash', name: 'Unleash', secret: 'u-secret' }, 2000);
    expect(a.id).toMatch(/^src_[a-z2-7]{24}$/);
    expect(b.id).not.toBe(a.id);

    const row = await handle.db.selectFrom('sources').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain('ld-secret-1');
    expect(box.open(row.secret_sealed)).toBe('ld-secret-1');
    expect(await findLiveSource(handle.db, box, a.id)).toEqual({ id: a.id, organizationId: 'T1', kind: 'launchdarkly', secrets: ['ld-secret-1'] });
    expect(await findLiveSource(handle.db, box, 'src_unknown')).toBeUndefined();
  });

  it('lists an organization’s live sources oldest first with their counters, never the secret', async () => {
    const a = await createSource(handle.db, box, { organizationId: 'T1', kind: 'launchdarkly', name: 'LD', secret: 'secret-of-ld-1' }, 1000);
    const b = await createSource(handle.db, box, { organizationId: 'T1', kind: 'flipt', name: 'Flipt', secret: 'secret-of-flipt-2' }, 2000);
    await createSource(handle.db, box, { organizationId: 'T2', kind: 'flipt', name: 'Theirs', secret: 's3' }, 1500);
    await recordSourceDeliveries(handle.db, [{ sourceId: a.id, accepted: 2, ignored: 1 }], 5000);
    await recordSourceDeliveries(
      handle.db,
      [
        { sourceId: b.id, accepted: 4, ignored: 0 },
        { sourceId: a.id, accepted: 1, ignored: 0 },
      ],
      6000,
    );
    await recordSourceRejection(handle.db, a.id, 'signature mismatch: is the secret pasted here?', 7000);

    const listed = await listSources(handle.db, 'T1');
    expect(listed.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(listed[0]).toEqual({
      id: a.id,
      organizationId: 'T1',
      kind: 'launchdarkly',
      name: 'LD',
      createdAt: 1000,
      lastEventAt: 6000,
      accepted: 3,
      ignored: 1,
      rejected: 1,
      lastError: 'signature mismatch: is the secret pasted here?',
      lastErrorAt: 7000,
    });
    expect(listed[1]).toMatchObject({ accepted: 4, ignored: 0, lastEventAt: 6000 });
    expect(JSON.stringify(listed)).not.toMatch(/secret-of-|sealed/);
  });

  it('rotates the secret at once and deletes: a deleted source is not found, not listed, and cannot be rotated', async () => {
    const a = await createSource(handle.db, box, { organizationId: 'T1', kind: 'flipt', name: 'Flipt', secret: 'old' }, 1000);
    const known = createKnownSources();
    expect(await rotateSourceSecret(handle.db, box, known, a.id, 'new', 2000)).toBe(true);
    expect((await findLiveSource(handle.db, box, a.id))?.secrets).toEqual(['new']);

    expect(await deleteSource(handle.db, known, a.id, 3000)).toBe(true);
    expect(await findLiveSource(handle.db, box, a.id)).toBeUndefined();
    expect(await listSources(handle.db, 'T1')).toEqual([]);
    expect(await deleteSource(handle.db, known, a.id, 4000)).toBe(false);
    expect(await rotateSourceSecret(handle.db, box, known, a.id, 'again', 4000)).toBe(false);
  });

  it('takes a receipt once, per source; an expired one, or one taken in a rolled-back transaction, can be taken again; pruning deletes only expired ones', async () => {
    const a = await createSource(handle.db, box, { organizationId: 'T1', kind: 'flipt', name: 'A', secret: 's' }, 0);
    const b = await createSource(handle.db, box, { organizationId: 'T1', kind: 'flipt', name: 'B', secret: 's' }, 0);
    const claim = async (sourceId: string, key: string, now: number, keepMs: number) =>
      (await claimReceipts(handle.db, [{ sourceId, key, keepMs }], now)).size === 1;
    expect(await claim(a.id, 'sha256:abc', 1000, 24 * HOUR)).toBe(true);
    expect(await claim(a.id, 'sha256:abc', 2000, 24 * HOUR)).toBe(false);
    // The same body to another source is that source's own delivery.
    expect(await claim(b.id, 'sha256:abc', 2000, 24 * HOUR)).toBe(true);
    // Two copies at once: exactly one is taken, in two statements as in one.
    const both = await Promise.all([claim(a.id, 'id:e-1', 3000, HOUR), claim(a.id, 'id:e-1', 3000, HOUR)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const first = { sourceId: b.id, key: 'id:e-1', keepMs: HOUR };
    const taken = await claimReceipts(handle.db, [first, { ...first }, { sourceId: a.id, key: 'id:e-1', keepMs: HOUR }], 3000);
    expect(taken.size).toBe(1);
    expect(taken.has(first)).toBe(true);

    expect(await claim(a.id, 'sha256:abc', 1000 + 24 * HOUR - 1, 24 * HOUR)).toBe(false);
    expect(await claim(a.id, 'sha256:abc', 1000 + 24 * HOUR, 24 * HOUR)).toBe(true);

    const rolledBack = handle.db.transaction().execute(async (trx) => {
      expect((await claimReceipts(trx, [{ sourceId: a.id, key: 'id:e-2', keepMs: HOUR }], 4000)).size).toBe(1);
      throw new Error('the commit failed');
    });
    await expect(rolledBack).rejects.toThrow('the commit failed');
    expect(await claim(a.id, 'id:e-2', 4000, HOUR)).toBe(true);

    // Left: a's body key (until 1000 + 48 h), b's body key (until 2000 + 24 h), a's and b's e-1 (until 3000 + 1 h), a's e-2 (until 4000 + 1 h).
    expect(await pruneReceipts(handle.db, 4000 + HOUR)).toBe(3);
    expect(await pruneReceipts(handle.db, 2000 + 24 * HOUR)).toBe(1);
    const left = await handle.db.selectFrom('source_receipts').select(['source_id', 'receipt_key']).execute();
    expect(left).toEqual([{ source_id: a.id, receipt_key: 'sha256:abc' }]);
  });
});
