import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Database } from './schema.js';

/**
 * Runs every pending migration; a second run finds nothing to do. On PostgreSQL with a schema, kysely's
 * bookkeeping tables live in that schema too (it would otherwise find another schema's).
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return results ?? [];
}

/** Names of the migrations this code has that the database has not applied (readiness). */
export async function pendingMigrations(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
