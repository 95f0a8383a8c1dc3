import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { isRole, type Role } from './roles.js';

export async function setMemberRole(
  db: Kysely<Database>,
  m: { organizationId: string; userId: string; role: Role; updatedBy: string; displayName?: string | null },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('members')
    .values({
      organization_id: m.organizationId,
      user_id: m.userId,
      role: m.role,
      display_name: m.displayName ?? null,
      updated_by: m.updatedBy,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role: m.role, updated_by: m.updatedBy, updated_at: now }))
    .execute();
}

/** The role an admin set explicitly for this person, if any. */
export async function findExplicitRole(db: Kysely<Database>, organizationId: string, userId: string): Promise<Role | undefined> {
  const row = await db.selectFrom('members').select('role').where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
  return row && isRole(row.role) ? row.role : undefined;
}

export async function listAdmins(db: Kysely<Database>, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('members').select('user_id').where('organization_id', '=', organizationId).where('role', '=', 'admin').execute();
  return rows.map((r) => r.user_id);
}
