import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, InstallationsTable } from '../storage/schema.js';

export type InstallationRow = Selectable<InstallationsTable>;

/** One live installation per workspace (or per Enterprise Grid org install). */
export function installKey(enterpriseId: string | undefined | null, teamId: string | undefined | null): string {
  return `${enterpriseId || '-'}:${teamId || '-'}`;
}

export async function findInstallationByKey(db: Kysely<Database>, key: string): Promise<InstallationRow | undefined> {
  return db.selectFrom('installations').selectAll().where('install_key', '=', key).executeTakeFirst();
}

/** The live installation that serves an organization, if any. */
export async function findLiveInstallation(db: Kysely<Database>, organizationId: string): Promise<InstallationRow | undefined> {
  return db
    .selectFrom('installations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}

/** app_uninstalled / tokens_revoked: the installation stops serving requests and deliveries. */
export async function revokeInstallations(
  db: Kysely<Database>,
  where: { enterpriseId: string | null; teamId: string | null },
  now = Date.now(),
): Promise<number> {
  const result = await db
    .updateTable('installations')
    .set({ revoked_at: now, bot_token_sealed: null, bot_refresh_token_sealed: null, user_token_sealed: null, user_refresh_token_sealed: null, updated_at: now })
    .where('install_key', '=', installKey(where.enterpriseId, where.teamId))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** tokens_revoked for user tokens only: the bot keeps working. */
export async function revokeUserToken(db: Kysely<Database>, key: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('installations')
    .set({ user_token_sealed: null, user_refresh_token_sealed: null, updated_at: now })
    .where('install_key', '=', key)
    .execute();
}

/** The organizations that a live installation serves. */
export async function liveOrganizationIds(db: Kysely<Database>): Promise<Set<string>> {
  const live = await db.selectFrom('installations').select('organization_id').where('revoked_at', 'is', null).execute();
  return new Set(live.map((r) => r.organization_id));
}

/** A new install's row; in the transaction that also creates its organization and admin. */
export async function insertInstallation(db: Kysely<Database>, row: Insertable<InstallationsTable>): Promise<void> {
  await db.insertInto('installations').values(row).execute();
}

/** A reinstall or token rotation: the row's tokens and state replaced. */
export async function updateInstallation(db: Kysely<Database>, id: number, columns: Updateable<InstallationsTable>): Promise<void> {
  await db.updateTable('installations').set(columns).where('id', '=', id).execute();
}

/** Bolt's deleteInstallation: the installation stops being found; its tokens stay until an uninstall event clears them. */
export async function markInstallationRevoked(db: Kysely<Database>, key: string, now: number): Promise<void> {
  await db.updateTable('installations').set({ revoked_at: now }).where('install_key', '=', key).execute();
}
