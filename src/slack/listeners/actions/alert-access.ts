import type { Context } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { Refused, Requester } from '../../../alerts/operations/outcome.js';
import { listAdmins } from '../../../roles/members.repository.js';
import { roleOf } from '../../../roles/role-of.js';
import { can, type Role } from '../../../roles/roles.js';
import { organizationIdOf } from '../../installation-store.js';
import { truncate } from '../../../formatting/mrkdwn.js';
import { askAnAdminAnswer, notFoundAnswer, type Answer } from '../../views/messages.js';

/** The organization a Slack request acts for: the org on Enterprise Grid org installs, else the workspace. */
export function organizationOf(context: Context): string {
  return organizationIdOf({ isEnterpriseInstall: context.isEnterpriseInstall, enterpriseId: context.enterpriseId, teamId: context.teamId });
}

export type Permission = keyof typeof can;

export type Gate = { ok: true; role: Role } | { ok: false; role: Role; answer: Answer };

/** Handlers outside the alert operations (list, roles) ask this before acting; the UI hiding a button is not enough. */
export async function gate(deps: AppDeps, organizationId: string, userId: string, permission: Permission, action: string): Promise<Gate> {
  const role = await roleOf(deps, organizationId, userId);
  if (can[permission](role)) return { ok: true, role };
  return { ok: false, role, answer: askAnAdminAnswer(role, action, await listAdmins(deps.db, organizationId)) };
}

/** The Slack user behind a request, with their role, as the alert operations take them. */
export async function requesterOf(deps: AppDeps, organizationId: string, userId: string): Promise<Requester> {
  return { organizationId, actor: userId, role: await roleOf(deps, organizationId, userId) };
}

/** A refused operation, said the Slack way: the role and who to ask. */
export function refusedAnswer(refused: Refused, action: string): Answer {
  return askAnAdminAnswer(refused.role, action, refused.admins);
}

/** An alert id typed or carried by a button (`3` or `#3`); undefined when it is no id at all. */
export function alertIdOf(idText: string | undefined): number | undefined {
  const text = idTextOf(idText);
  return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

/** Why no alert was found for what the person typed: no id, not a number, or not in this workspace. */
export function notFoundFor(idText: string | undefined): Answer {
  const text = idTextOf(idText);
  if (/^\d{1,12}$/.test(text)) return notFoundAnswer(text);
  return {
    text: text
      ? `"${truncate(text, 40, '…')}" is not an alert number. \`/flag-alert list\` shows them.`
      : 'Which alert? Add its number, e.g. `/flag-alert pause 3`. `/flag-alert list` shows them.',
  };
}

function idTextOf(idText: string | undefined): string {
  return (idText ?? '').trim().replace(/^#/, '');
}
