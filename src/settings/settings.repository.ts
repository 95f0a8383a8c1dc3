import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** Reads and writes only the settings page needs: the operator's organization list and webhook-only organizations. */

export interface OrganizationSummary {
  id: string;
  name: string;
  /** whether a live Slack installation serves it */
  connected: boolean;
}

export async function listOrganizations(db: Kysely<Database>): Promise<OrganizationSummary[]> {
  const orgs = await db.selectFrom('organizations').select(['id', 'name']).orderBy('name').orderBy('id').execute();
  const live = await db.selectFrom('installations').select('organization_id').where('revoked_at', 'is', null).execute();
  const connected = new Set(live.map((r) => r.organization_id));
  return orgs.map((o) => ({ id: o.id, name: o.name, connected: connected.has(o.id) }));
}

/** An organization without Slack, for teams that only want webhooks. Its id cannot collide with a Slack team id (T…/E…). */
export async function createWebhookOnlyOrganization(db: Kysely<Database>, name: string, now: number): Promise<string> {
  const id = `W${randomBytes(5).toString('hex').toUpperCase()}`;
  await db.insertInto('organizations').values({ id, name, enterprise_id: null, default_role: 'member', created_at: now }).execute();
  return id;
}
