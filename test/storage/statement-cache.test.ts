import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/storage/statement-cache.js';

describe('SQLite statement cache', () => {
  let sqlite: SQLite.Database;
  let prepared: string[];
  let db: Kysely<{ t: { id: number; name: string } }>;

  beforeEach(() => {
    sqlite = new SQLite(':memory:');
    prepared = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = (text: string) => {
      prepared.push(text);
      return prepare(text);
    };
    db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('prepares each SQL text once and still binds each call its own values', async () => {
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (const name of ['a', 'b', 'c'])
      await db
        .insertInto('t')
        .values({ id: name.charCodeAt(0), name })
        .execute();
    const byId = (id: number) => db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst();
    expect(await byId(98)).toEqual({ name: 'b' });
    expect(await byId(99)).toEqual({ name: 'c' });
    expect(prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((text) => text.startsWith('select'))).toHaveLength(1);
  });

  it('answers with the new shape after a schema change', async () => {
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    const all = () => db.selectFrom('t').selectAll().execute();
    expect(await all()).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table t add column color text default 'red'`.execute(db);
    expect(await all()).toEqual([{ id: 1, name: 'a', color: 'red' }]);
  });

  it('keeps working past its bound of distinct statements', async () => {
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    // IN lists of every length from 1 to 300: 300 distinct texts
    for (let n = 1; n <= 300; n += 1) {
      const ids = Array.from({ length: n }, (_, i) => i + 1);
      expect(await db.selectFrom('t').select('id').where('id', 'in', ids).execute()).toEqual([{ id: 1 }]);
    }
    const before = prepared.length;
    await db.selectFrom('t').select('id').where('id', 'in', [1, 2]).execute();
    expect(prepared.length - before).toBeLessThanOrEqual(1);
  });
});
