/** What each role may do. Handlers check these; the UI only hides what a role cannot do. */
export const ROLES = ['admin', 'member', 'viewer', 'none'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const rank: Record<Role, number> = { none: 0, viewer: 1, member: 2, admin: 3 };

export const can = {
  /** see alerts and open a notification's details */
  view: (r: Role) => rank[r] >= rank.viewer,
  /** create, edit, pause, test and delete alerts */
  manageAlerts: (r: Role) => rank[r] >= rank.member,
  /** set roles and the default role, manage ingest keys and the installation */
  administer: (r: Role) => rank[r] >= rank.admin,
};

/** What Slack tells us about a user (users.info). */
export interface SlackUserFacts {
  isAdmin: boolean;
  isOwner: boolean;
  /** multi- or single-channel guest */
  isGuest: boolean;
  deleted?: boolean;
}

/**
 * Slack's answer about a person: who they are, that there is no such person (in this workspace), or no answer
 * at all (rate limited, down, not installed), in which case nobody can tell a guest from a member.
 */
export type SlackAnswer = { kind: 'known'; facts: SlackUserFacts } | { kind: 'no-such-user' } | { kind: 'unavailable' };

/**
 * The role a person has in an organization: workspace admins and owners are admins; an explicit role
 * set by an admin comes next; then the organization's default. Guests are at most viewers, and so is anyone
 * while Slack cannot say who they are: the role fails closed. Someone Slack does not know, or deleted, has none.
 */
export function effectiveRole(input: { explicit: Role | undefined; defaultRole: Role; slack: SlackAnswer }): Role {
  const { explicit, defaultRole, slack } = input;
  if (slack.kind === 'no-such-user' || (slack.kind === 'known' && slack.facts.deleted)) return 'none';
  if (slack.kind === 'known' && (slack.facts.isAdmin || slack.facts.isOwner) && !slack.facts.isGuest) return 'admin';
  const role = explicit ?? defaultRole;
  const atMostViewer = slack.kind === 'unavailable' || slack.facts.isGuest;
  if (atMostViewer && rank[role] > rank.viewer) return 'viewer';
  return role;
}
