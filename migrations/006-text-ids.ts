import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Flag platforms name projects and environments by string keys (issue 14): the bigint id columns become text
 * holding the canonical JSON of the id (src/storage/id-column.ts). A stored number reads as its decimal
 * digits, which is exactly its JSON, so every existing row keeps its meaning. experiments.project_id stays a
 * number: it is the experiment API's own project id, never matched against alerts or the catalog.
 */
const COLUMNS: Record<string, string[]> = {
  alerts: ['project_id', 'scope_deployment_id'],
  catalog_projects: ['project_id'],
  catalog_deployments: ['project_id', 'deployment_id'],
  catalog_tags: ['project_id'],
  flag_events: ['project_id'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await changeTypes(db, 'bigint', 'text');
}

/** Back to bigint; only while every stored id is a number (PostgreSQL refuses the cast otherwise). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await changeTypes(db, 'text', 'bigint');
}

async function changeTypes(db: Kysely<unknown>, from: 'bigint' | 'text', to: 'bigint' | 'text'): Promise<void> {
  if (isPostgres(db)) {
    for (const [table, columns] of Object.entries(COLUMNS)) {
      const changes = columns.map((c) => sql`alter column ${sql.ref(c)} type ${sql.raw(to)} using ${sql.ref(c)}::${sql.raw(to)}`);
      await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
    }
    return;
  }
  // SQLite cannot change a column's type: each table is rebuilt as https://www.sqlite.org/lang_altertable.html
  // (section 7) says, with foreign keys off so dropping alerts and flag_events does not cascade into deliveries.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      for (const [table, columns] of Object.entries(COLUMNS)) await rebuildSqliteTable(trx, table, columns, from, to);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`migration 006 would break ${broken.rows.length} foreign key(s)`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuildSqliteTable(db: Kysely<unknown>, table: string, columns: string[], from: string, to: string): Promise<void> {
  const schema = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = schema.rows.find((r) => r.type === 'table')?.sql;
  if (!create) throw new Error(`migration 006: no table ${table}`);
  const indexes = schema.rows.filter((r) => r.type === 'index').map((r) => r.sql);
  // The table as it stands (later migrations' columns included), with only these columns' types changed.
  let revised = create.replace(`"${table}"`, `"${table}_new"`);
  for (const column of columns) {
    const before = revised;
    revised = revised.replace(`"${column}" ${from}`, `"${column}" ${to}`);
    if (revised === before) throw new Error(`migration 006: ${table}.${column} is not ${from}`);
  }
  const sequence = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db).catch(() => ({ rows: [] }));
  await sql.raw(revised).execute(db);
  // Same column order; TEXT affinity stores 311 as '311' (and INTEGER affinity turns it back on the way down).
  await sql`insert into ${sql.table(`${table}_new`)} select * from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(`${table}_new`)} rename to ${sql.table(table)}`.execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
  // Ids of deleted rows are never handed out again, as before the rebuild.
  const seq = sequence.rows[0]?.seq;
  if (seq !== undefined) await sql`update sqlite_sequence set seq = ${seq} where name = ${table}`.execute(db);
}
