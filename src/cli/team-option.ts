import type { Kysely } from 'kysely';
import { findOrganization } from '../organizations/organizations.repository.js';
import type { Database } from '../storage/schema.js';

// Slack team (T…) and Enterprise Grid (E…) ids: an organization the CLI may bring into being.
const SLACK_TEAM_ID = /^[TE][A-Z0-9]+$/;

/**
 * What `--team` names: an organization that exists (any id the settings page shows, webhook-only W… ones included),
 * a Slack team the command may create, or nothing, with the line that says so.
 */
export async function resolveTeam(db: Kysely<Database>, team: string): Promise<{ kind: 'existing' } | { kind: 'new' } | { kind: 'unknown'; reason: string }> {
  if (await findOrganization(db, team)) return { kind: 'existing' };
  if (SLACK_TEAM_ID.test(team)) return { kind: 'new' };
  return { kind: 'unknown', reason: `no organization ${team} (use a Slack team ID like T0123ABCD, or an organization ID the settings page shows)` };
}
