import { afterEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { alertsOfProject, createAlert, findAlert } from '../../src/alerts/alerts.repository.js';
import { listDeployments, listProjects, listTags } from '../../src/catalog/catalog.repository.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
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
    const columns = async () =>
      (await db.introspection.getTables()).find((t) => t.name === 'organization_settings' && (!schema || t.schema === schema))?.columns.map((c) => c.name);
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
      expect(await db.selectFrom('home_viewers').selectAll().execute()).toEqual([
        { organization_id: 'T1', user_id: 'U1', page: 1, opened_at: 1_790_000_000_500 },
      ]);
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

  it('006 turns the id columns into text: rows stored under 005 read back as the same numbers, string keys stay strings', async () => {
    database = await createTestDatabase(dialect);
    const { db, close } = database.open();
    const schema = database.options.schema;
    const migrator = new Migrator({ db, ...(schema ? { migrationTableSchema: schema } : {}), provider: { getMigrations: () => Promise.resolve(migrations) } });
    const box = createSecretBox(Buffer.alloc(32, 7));
    try {
      expect((await migrator.migrateTo('005-home-viewers')).error).toBeUndefined();
      await sql`insert into organizations (id, name, default_role, created_at) values ('T1', 'Acme', 'member', 1)`.execute(db);
      await sql`insert into alerts (organization_id, name, project_id, scope_type, scope_deployment_id, scope_deployment_label, actions, destination_type, channel_id, status, created_by, created_at, updated_at)
        values ('T1', 'prod', 311, 'deployment', 7, 'production', '["updated"]', 'slack', 'C1', 'active', 'U1', 1, 1),
               ('T1', 'gone', 311, 'project', null, null, '["updated"]', 'slack', 'C2', 'active', 'U1', 1, 1)`.execute(db);
      await sql`delete from alerts where name = 'gone'`.execute(db);
      await sql`insert into catalog_projects (organization_id, project_id, name, updated_at) values ('T1', 311, 'Shop', 1), ('T1', 9, null, 1), ('T1', 10, null, 1)`.execute(
        db,
      );
      await sql`insert into catalog_deployments (organization_id, project_id, deployment_id, label, updated_at) values ('T1', 311, 7, 'production', 1)`.execute(
        db,
      );
      await sql`insert into catalog_tags (organization_id, project_id, tag, updated_at) values ('T1', 311, 'checkout', 1)`.execute(db);
      await sql`insert into flag_events (organization_id, event_key, project_id, action, payload, received_at) values ('T1', 'e1', 311, 'updated', '{}', 1)`.execute(
        db,
      );
      await sql`insert into deliveries (organization_id, alert_id, flag_event_id, kind, destination_type, channel_id, message_id, status, next_attempt_at, created_at, updated_at)
        select 'T1', a.id, e.id, 'change', 'slack', 'C1', 'm1', 'pending', 1, 1, 1 from alerts a, flag_events e`.execute(db);

      expect((await migrateToLatest(db, schema)).map((r) => [r.migrationName, r.status])).toContainEqual(['006-text-ids', 'Success']);

      const [old] = await db.selectFrom('alerts').select(['id', 'project_id', 'scope_deployment_id']).execute();
      expect(old).toMatchObject({ project_id: '311', scope_deployment_id: '7' });
      const alert = await findAlert(db, 'T1', old?.id ?? 0);
      expect(alert).toMatchObject({ projectId: 311, scope: { type: 'deployment', deploymentId: 7, deploymentLabel: 'production' } });
      expect((await alertsOfProject(db, 'T1', 311)).map((a) => a.id)).toEqual([old?.id]);
      expect(await listProjects(db, 'T1')).toEqual([
        { projectId: 9, name: null },
        { projectId: 10, name: null },
        { projectId: 311, name: 'Shop' },
      ]);
      expect(await listDeployments(db, 'T1', 311)).toEqual([{ deploymentId: 7, label: 'production' }]);
      expect(await listTags(db, 'T1', 311)).toEqual(['checkout']);
      expect(await db.selectFrom('flag_events').select(['event_key', 'project_id']).execute()).toEqual([{ event_key: 'e1', project_id: '311' }]);
      // The rebuilt tables kept their rows' links: the delivery still points at its alert and event.
      expect(await db.selectFrom('deliveries').select(['alert_id', 'message_id']).execute()).toEqual([{ alert_id: old?.id, message_id: 'm1' }]);
      // ...and their constraints: the idempotency index still refuses a second e1, foreign keys still hold.
      await expect(
        sql`insert into flag_events (organization_id, event_key, project_id, action, payload, received_at) values ('T1', 'e1', '311', 'updated', '{}', 2)`.execute(
          db,
        ),
      ).rejects.toThrow();
      await expect(
        sql`insert into alerts (organization_id, name, project_id, scope_type, actions, destination_type, status, created_by, created_at, updated_at) values ('T-none', 'x', '1', 'project', '[]', 'slack', 'active', 'U1', 1, 1)`.execute(
          db,
        ),
      ).rejects.toThrow();

      // A deleted alert's id is not handed out again; a string key and the number with the same digits are two projects.
      const keyed = await createAlert(db, box, {
        organizationId: 'T1',
        createdBy: 'U1',
        alert: {
          name: 'keyed',
          projectId: '311',
          scope: { type: 'deployment', deploymentId: 'production', deploymentLabel: 'Production' },
          actions: ['updated'],
          destination: { type: 'slack', channelId: 'C3', channelName: null },
        },
      });
      expect(keyed.id).toBeGreaterThan((old?.id ?? 0) + 1);
      expect(await findAlert(db, 'T1', keyed.id)).toMatchObject({ projectId: '311', scope: { type: 'deployment', deploymentId: 'production' } });
      expect((await alertsOfProject(db, 'T1', '311')).map((a) => a.id)).toEqual([keyed.id]);
      expect((await alertsOfProject(db, 'T1', 311)).map((a) => a.id)).toEqual([old?.id]);
      const indexes =
        dialect === 'postgres'
          ? await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = ${schema ?? 'public'}`.execute(db)
          : await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db);
      expect(indexes.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['alerts_match', 'flag_events_idempotency']));

      // down() goes back to bigint while every id is a number.
      await db.deleteFrom('alerts').where('id', '=', keyed.id).execute();
      const down = await migrator.migrateTo('005-home-viewers');
      expect(down.error).toBeUndefined();
      const back = await sql<{ project_id: number }>`select project_id from alerts`.execute(db);
      expect(back.rows.map((r) => Number(r.project_id))).toEqual([311]);
      await migrateToLatest(db, schema);
      expect(await findAlert(db, 'T1', old?.id ?? 0)).toMatchObject({ projectId: 311 });
    } finally {
      await close();
    }
  });
});
