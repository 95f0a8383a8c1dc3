import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticateIngestKey,
  createIngestKey,
  createKnownIngestKeys,
  KEY_CACHE_MS,
  listIngestKeys,
  revokeIngestKey,
  type KnownIngestKeys,
} from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/schema.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/test-database.js';

describe.each(testDialects())('ingest keys on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  // This instance's trusted keys, as its composition root would own them.
  let known: KnownIngestKeys;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    handle = database.open();
    db = handle.db;
    known = createKnownIngestKeys();
    await upsertOrganization(db, { id: 'T1', name: 'Acme', enterpriseId: null });
    await upsertOrganization(db, { id: 'T2', name: 'Other', enterpriseId: null });
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('creates an fa_ key shown once and stores only its sha256 and a short prefix', async () => {
    const created = await createIngestKey(db, { organizationId: 'T1', name: 'ci', createdBy: 'U1' }, 1000);
    expect(created.key).toMatch(/^fa_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.key.slice(3), 'base64url')).toHaveLength(32);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(12);
    const row = await db.selectFrom('ingest_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);
    const again = await createIngestKey(db, { organizationId: 'T1', name: 'ci', createdBy: 'U1' });
    expect(again.key).not.toBe(created.key);
  });

  it('authenticates a live key to its organization and refuses unknown and revoked keys', async () => {
    const a = await createIngestKey(db, { organizationId: 'T1', name: 'a', createdBy: null });
    const b = await createIngestKey(db, { organizationId: 'T2', name: 'b', createdBy: null });
    expect(await authenticateIngestKey(db, known, a.key, 1)).toEqual({ organizationId: 'T1', keyId: a.id });
    expect(await authenticateIngestKey(db, known, b.key, 1)).toEqual({ organizationId: 'T2', keyId: b.id });
    expect(await authenticateIngestKey(db, known, `${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`, 1)).toBeUndefined();
    expect(await authenticateIngestKey(db, known, '', 1)).toBeUndefined();
    expect(await revokeIngestKey(db, known, 'T2', a.id)).toBe(false);
    expect(await authenticateIngestKey(db, known, a.key, 1)).toBeDefined();
    expect(await revokeIngestKey(db, known, 'T1', a.id)).toBe(true);
    expect(await revokeIngestKey(db, known, 'T1', a.id)).toBe(false);
    expect(await authenticateIngestKey(db, known, a.key, 1)).toBeUndefined();
  });

  it('forgets a key revoked here at once, and one revoked by another instance within KEY_CACHE_MS', async () => {
    const { key, id } = await createIngestKey(db, { organizationId: 'T1', name: 'a', createdBy: null }, 0);
    expect(await authenticateIngestKey(db, known, key, 1_000)).toBeDefined();
    const otherInstance = database.open();
    try {
      expect(await revokeIngestKey(otherInstance.db, createKnownIngestKeys(), 'T1', id, 1_500)).toBe(true);
    } finally {
      await otherInstance.close();
    }
    expect(await authenticateIngestKey(db, known, key, 1_000 + KEY_CACHE_MS - 1)).toBeDefined();
    expect(await authenticateIngestKey(db, known, key, 1_000 + KEY_CACHE_MS)).toBeUndefined();

    const second = await createIngestKey(db, { organizationId: 'T1', name: 'b', createdBy: null }, 0);
    expect(await authenticateIngestKey(db, known, second.key, 2_000)).toBeDefined();
    expect(await revokeIngestKey(db, known, 'T1', second.id, 2_001)).toBe(true);
    expect(await authenticateIngestKey(db, known, second.key, 2_002)).toBeUndefined();
  });

  it('refreshes last_used_at at most once a minute', async () => {
    const { key, id } = await createIngestKey(db, { organizationId: 'T1', name: 'a', createdBy: null }, 0);
    const lastUsed = async () => (await listIngestKeys(db, 'T1')).find((k) => k.id === id)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await authenticateIngestKey(db, known, key, 100_000);
    expect(await lastUsed()).toBe(100_000);
    await authenticateIngestKey(db, known, key, 159_999);
    expect(await lastUsed()).toBe(100_000);
    await authenticateIngestKey(db, known, key, 160_000);
    expect(await lastUsed()).toBe(160_000);
  });

  it("lists only the organization's keys, without the key itself", async () => {
    const a = await createIngestKey(db, { organizationId: 'T1', name: 'deploys', createdBy: 'U1' }, 5);
    await createIngestKey(db, { organizationId: 'T2', name: 'theirs', createdBy: null });
    await revokeIngestKey(db, known, 'T1', a.id, 9);
    expect(await listIngestKeys(db, 'T1')).toEqual([
      { id: a.id, name: 'deploys', prefix: a.prefix, createdAt: 5, lastUsedAt: null, revokedAt: 9, createdBy: 'U1' },
    ]);
  });
});
