import type { AppDeps } from '../app-deps.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { findExplicitRole } from './members.repository.js';
import { effectiveRole, isRole, type Role, type SlackUserFacts } from './roles.js';

/** Slack's answer about a person changes rarely; a short cache keeps buttons fast without going stale for long. */
const SLACK_FACTS_TTL_MS = 60_000;

interface CachedFacts {
  facts: SlackUserFacts | undefined;
  at: number;
}

/** Slack's answers by organization and person; owned by the composition root, one per running app. */
export interface SlackFactsCache {
  readonly byPerson: Map<string, CachedFacts>;
}

export function createSlackFactsCache(): SlackFactsCache {
  return { byPerson: new Map() };
}

/** What working out a role needs: the stored roles, Slack's answer about the person and its cache. */
export type RoleDeps = Pick<AppDeps, 'db' | 'slack' | 'logger' | 'now' | 'slackFacts'>;

/** The role a person has in an organization: explicit role, else the org default; Slack admins are admins, guests at most viewers. */
export async function roleOf(deps: RoleDeps, organizationId: string, userId: string): Promise<Role> {
  const [explicit, org, slack] = await Promise.all([
    findExplicitRole(deps.db, organizationId, userId),
    findOrganization(deps.db, organizationId),
    slackFactsOf(deps, organizationId, userId),
  ]);
  if (!org) return 'none';
  const defaultRole = isRole(org.default_role) ? org.default_role : 'member';
  return effectiveRole({ explicit, defaultRole, slack });
}

async function slackFactsOf(deps: RoleDeps, organizationId: string, userId: string): Promise<SlackUserFacts | undefined> {
  const cache = deps.slackFacts.byPerson;
  const key = `${organizationId}:${userId}`;
  const hit = cache.get(key);
  if (hit && deps.now() - hit.at < SLACK_FACTS_TTL_MS) return hit.facts;
  const facts = await fetchFacts(deps, organizationId, userId);
  cache.set(key, { facts, at: deps.now() });
  return facts;
}

async function fetchFacts(deps: RoleDeps, organizationId: string, userId: string): Promise<SlackUserFacts | undefined> {
  const client = deps.slack ? await deps.slack.clientFor(organizationId) : undefined;
  if (!client) return undefined;
  try {
    const { user } = await client.users.info({ user: userId });
    if (!user) return undefined;
    return {
      isAdmin: user.is_admin === true,
      isOwner: user.is_owner === true || user.is_primary_owner === true,
      isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
      deleted: user.deleted === true,
    };
  } catch (error) {
    // Without Slack's answer the stored role still applies; Slack admin rights just are not added.
    deps.logger.warn({ err: error instanceof Error ? error.message : String(error), organizationId, userId }, 'users.info failed; using the stored role');
    return undefined;
  }
}

/** Forget cached Slack facts, e.g. after a role change (the explicit role is read fresh anyway). */
export function forgetSlackFacts(deps: Pick<AppDeps, 'slackFacts'>, organizationId: string, userId: string): void {
  deps.slackFacts.byPerson.delete(`${organizationId}:${userId}`);
}
