import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely, type CreateTableBuilder } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Auto-increment primary key: the one column type the two dialects spell differently. */
export function withId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db) ? table.addColumn('id', 'bigserial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export const time = 'bigint' as const;
export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
