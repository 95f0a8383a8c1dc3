import { afterEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { setSrmThreshold, srmThreshold } from '../../src/experiments/experiments.repository.js';
import { rememberHomeViewer } from '../../src/slack/home/home-viewers.repository.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../migrations/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/test-database.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => database.drop());

  it('create every table on a fresh database, and a second run is harmless', async () => {
    database = await createTestDatabase(dialect, { migrated: false });
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
    database = await createTestDatabase(dialect, { migrated: false });
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

  it('004 gives existing organization settings the default SRM threshold, stores a fraction exactly, and its down() drops the column', async () => {
    database = await createTestDatabase(dialect, { migrated: false });
    const { db, close } = database.open();
    const schema = database.options.schema;
    const migrator = new Migrator({ db, ...(schema ? { migrationTableSchema: schema } : {}), provider: { getMigrations: async () => migrations } });
    // On PostgreSQL introspection lists every schema's tables: read this test's own.
    const columns = async () => (await db.introspection.getTables()).find((t) => t.name === 'organization_settings' && (!schema || t.schema === schema))?.columns.map((c) => c.name);
    try {
      expect((await migrator.migrateTo('003-alerts-match-index')).error).toBeUndefined();
      await db.insertInto('organizations').values({ id: 'T1', name: 'Acme', enterprise_id: null, default_role: 'member', created_at: 1 }).execute();
      await db.insertInto('organization_settings').values({ organization_id: 'T1', experiment_reminder_offsets: '[7200000]', updated_at: 1 }).execute();

      expect((await migrateToLatest(db, schema)).map((r) => [r.migrationName, r.status])).toContainEqual(['004-srm-threshold', 'Success']);
      const row = await db.selectFrom('organization_settings').select(['srm_threshold', 'experiment_reminder_offsets']).executeTakeFirstOrThrow();
      expect(row).toEqual({ srm_threshold: 0.001, experiment_reminder_offsets: '[7200000]' });
      await setSrmThreshold(db, 'T1', 0.000123456789, 2);
      expect(await srmThreshold(db, 'T1')).toBe(0.000123456789);

      // Back to 003: later migrations go down first, then 004's down().
      const down = await migrator.migrateTo('003-alerts-match-index');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toContainEqual(['004-srm-threshold', 'Down', 'Success']);
      expect(await columns()).not.toContain('srm_threshold');
      expect(await columns()).toContain('experiment_reminder_offsets');
      await migrateToLatest(db, schema);
      expect(await columns()).toContain('srm_threshold');
      expect(await srmThreshold(db, 'T1')).toBe(0.001);
    } finally {
      await close();
    }
  });

  it('005 stores one Home viewer per person and organization, and its down() drops the table', async () => {
    database = await createTestDatabase(dialect, { migrated: false });
    const { db, close } = database.open();
    const schema = database.options.schema;
    const migrator = new Migrator({ db, ...(schema ? { migrationTableSchema: schema } : {}), provider: { getMigrations: async () => migrations } });
    const hasTable = async () => (await db.introspection.getTables()).some((t) => t.name === 'home_viewers' && (!schema || t.schema === schema));
    try {
      await migrateToLatest(db, schema);
      await db.insertInto('organizations').values({ id: 'T1', name: 'Acme', enterprise_id: null, default_role: 'member', created_at: 1 }).execute();
      await rememberHomeViewer(db, 'T1', 'U1', 2, 1_790_000_000_000);
      await rememberHomeViewer(db, 'T1', 'U1', 1, 1_790_000_000_500);
      expect(await db.selectFrom('home_viewers').selectAll().execute()).toEqual([{ organization_id: 'T1', user_id: 'U1', page: 1, opened_at: 1_790_000_000_500 }]);
      await expect(rememberHomeViewer(db, 'T-none', 'U1', 0, 1)).rejects.toThrow();

      const down = await migrator.migrateTo('004-srm-threshold');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toContainEqual(['005-home-viewers', 'Down', 'Success']);
      expect(await hasTable()).toBe(false);
      await migrateToLatest(db, schema);
      expect(await hasTable()).toBe(true);
    } finally {
      await close();
    }
  });
});
