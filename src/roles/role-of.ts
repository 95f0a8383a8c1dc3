import type { AppDeps } from '../app-deps.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { slackPlatformError } from '../slack/api/platform-error.js';
import { findExplicitRole } from './members.repository.js';
import { effectiveRole, isRole, type Role, type SlackAnswer } from './roles.js';

/** Slack's answer about a person changes rarely; a short cache keeps buttons fast without going stale for long. */
const SLACK_FACTS_TTL_MS = 60_000;

/** users.info errors that are Slack's answer "no such person here", not a failure to answer. */
const NO_SUCH_USER = new Set(['user_not_found', 'user_not_visible']);

interface CachedAnswer {
  answer: SlackAnswer;
  at: number;
}

/** Slack's answers by organization and person; owned by the composition root, one per running app. */
export interface SlackFactsCache {
  readonly byPerson: Map<string, CachedAnswer>;
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
    slackAnswerOf(deps, organizationId, userId),
  ]);
  if (!org) return 'none';
  const defaultRole = isRole(org.default_role) ? org.default_role : 'member';
  return effectiveRole({ explicit, defaultRole, slack });
}

async function slackAnswerOf(deps: RoleDeps, organizationId: string, userId: string): Promise<SlackAnswer> {
  const cache = deps.slackFacts.byPerson;
  const key = `${organizationId}:${userId}`;
  const hit = cache.get(key);
  if (hit && deps.now() - hit.at < SLACK_FACTS_TTL_MS) return hit.answer;
  const answer = await askSlack(deps, organizationId, userId);
  // No answer is never kept: the next request asks again rather than holding someone at viewer for a minute.
  if (answer.kind === 'unavailable') cache.delete(key);
  else cache.set(key, { answer, at: deps.now() });
  return answer;
}

async function askSlack(deps: RoleDeps, organizationId: string, userId: string): Promise<SlackAnswer> {
  try {
    // No client: Slack is off, or the workspace uninstalled the app; nobody can ask who this is.
    const client = deps.slack ? await deps.slack.clientFor(organizationId) : undefined;
    if (!client) return { kind: 'unavailable' };
    const { user } = await client.users.info({ user: userId });
    if (!user) return { kind: 'no-such-user' };
    return {
      kind: 'known',
      facts: {
        isAdmin: user.is_admin === true,
        isOwner: user.is_owner === true || user.is_primary_owner === true,
        isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
        deleted: user.deleted === true,
      },
    };
  } catch (error) {
    if (NO_SUCH_USER.has(slackPlatformError(error) ?? '')) return { kind: 'no-such-user' };
    deps.logger.warn(
      { err: error instanceof Error ? error.message : String(error), organizationId, userId },
      'users.info failed; the person is at most a viewer until Slack answers',
    );
    return { kind: 'unavailable' };
  }
}

/** Forget cached Slack facts, e.g. after a role change (the explicit role is read fresh anyway). */
export function forgetSlackFacts(deps: Pick<AppDeps, 'slackFacts'>, organizationId: string, userId: string): void {
  deps.slackFacts.byPerson.delete(`${organizationId}:${userId}`);
}
