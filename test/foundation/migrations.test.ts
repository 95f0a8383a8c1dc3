import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../migrations/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/test-database.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => database.drop());

  it('create every table on a fresh database, and a second run is harmless', async () => {
    database = await createTestDatabase(dialect);
    const { db, close } = database.open();
    try {
      const first = await migrateToLatest(db, database.options.schema);
      expect(first.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => 'Success'));
      await db.insertInto('organizations').values({ id: 'T1', name: 'Acme', enterprise_id: null, default_role: 'member', created_at: 1 }).execute();

      const second = await migrateToLatest(db, database.options.schema);
      expect(second).toEqual([]);
      const orgs = await db.selectFrom('organizations').select('id').execute();
      expect(orgs).toEqual([{ id: 'T1' }]);
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['alerts', 'deliveries', 'flag_events', 'installations', 'ingest_keys', 'members']));
    } finally {
      await close();
    }
  });

  it('store big millisecond times and read them back as numbers', async () => {
    database = await createTestDatabase(dialect);
    const { db, close } = database.open();
    try {
      await migrateToLatest(db, database.options.schema);
      const t = 1_790_000_000_123;
      await db.insertInto('organizations').values({ id: 'T1', name: 'Acme', enterprise_id: null, default_role: 'member', created_at: t }).execute();
      const row = await db.selectFrom('organizations').select('created_at').executeTakeFirstOrThrow();
      expect(row.created_at).toBe(t);
      const count = await sql<{ n: number }>`select count(*) as n from organizations`.execute(db);
      expect(Number(count.rows[0]?.n)).toBe(1);
    } finally {
      await close();
    }
  });
});
