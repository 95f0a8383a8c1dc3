import type { Context } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { Alert } from '../../../alerts/alert.js';
import { findAlert } from '../../../alerts/alerts.repository.js';
import { listAdmins } from '../../../roles/members.repository.js';
import { roleOf } from '../../../roles/role-of.js';
import { can, type Role } from '../../../roles/roles.js';
import { organizationIdOf } from '../../installation-store.js';
import { askAnAdminAnswer, notFoundAnswer, type Answer } from '../../views/messages.js';

/** The organization a Slack request acts for: the org on Enterprise Grid org installs, else the workspace. */
export function organizationOf(context: Context): string {
  return organizationIdOf({ isEnterpriseInstall: context.isEnterpriseInstall, enterpriseId: context.enterpriseId, teamId: context.teamId });
}

export type Permission = keyof typeof can;

export type Gate = { ok: true; role: Role } | { ok: false; role: Role; answer: Answer };

/** Every handler asks this before acting; the UI hiding a button is not enough. */
export async function gate(deps: AppDeps, organizationId: string, userId: string, permission: Permission, action: string): Promise<Gate> {
  const role = await roleOf(deps, organizationId, userId);
  if (can[permission](role)) return { ok: true, role };
  return { ok: false, role, answer: askAnAdminAnswer(role, action, await listAdmins(deps.db, organizationId)) };
}

/** An alert id typed or carried by a button, looked up in the requester's organization only. */
export async function alertOf(deps: AppDeps, organizationId: string, idText: string | undefined): Promise<{ ok: true; alert: Alert } | { ok: false; answer: Answer }> {
  const text = (idText ?? '').trim().replace(/^#/, '');
  if (!/^\d{1,12}$/.test(text)) return { ok: false, answer: { text: text ? `"${text.slice(0, 40)}" is not an alert number. \`/flag-alert list\` shows them.` : 'Which alert? Add its number, e.g. `/flag-alert pause 3`. `/flag-alert list` shows them.' } };
  const alert = await findAlert(deps.db, organizationId, Number(text));
  return alert ? { ok: true, alert } : { ok: false, answer: notFoundAnswer(text) };
}
