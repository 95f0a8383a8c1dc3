import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { liveOrganizationIds } from '../installations/installations.repository.js';
import type { Database, OrganizationsTable } from '../storage/schema.js';

export type Organization = OrganizationsTable;

/** One organization in the settings page's list. */
export interface OrganizationSummary {
  id: string;
  name: string;
  /** whether a live Slack installation serves it */
  connected: boolean;
}

/** Creates the organization on first install; later installs refresh its name. */
export async function upsertOrganization(
  db: Kysely<Database>,
  org: { id: string; name: string; enterpriseId: string | null },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('organizations')
    .values({ id: org.id, name: org.name, enterprise_id: org.enterpriseId, default_role: 'member', created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: org.name, enterprise_id: org.enterpriseId }))
    .execute();
}

export async function findOrganization(db: Kysely<Database>, id: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every organization, for the operator's list on the settings page. */
export async function listOrganizations(db: Kysely<Database>): Promise<OrganizationSummary[]> {
  const orgs = await db.selectFrom('organizations').select(['id', 'name']).orderBy('name').orderBy('id').execute();
  const connected = await liveOrganizationIds(db);
  return orgs.map((o) => ({ id: o.id, name: o.name, connected: connected.has(o.id) }));
}

/** An organization without Slack, for teams that only want webhooks. Its id cannot collide with a Slack team id (T…/E…). */
export async function createWebhookOnlyOrganization(db: Kysely<Database>, name: string, now: number): Promise<string> {
  const id = `W${randomBytes(5).toString('hex').toUpperCase()}`;
  await db.insertInto('organizations').values({ id, name, enterprise_id: null, default_role: 'member', created_at: now }).execute();
  return id;
}
