import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { manageableAlert, refusalOf } from '../../../alerts/operations/access.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import type { Refused } from '../../../alerts/operations/outcome.js';
import { listAlerts } from '../../../alerts/alerts.repository.js';
import { listProjects } from '../../../catalog/catalog.repository.js';
import { truncate } from '../../../formatting/mrkdwn.js';
import { setMemberRole } from '../../../roles/members.repository.js';
import { forgetSlackFacts } from '../../../roles/role-of.js';
import { isRole } from '../../../roles/roles.js';
import { republishHome } from '../../home/publish-home.js';
import { visibleChannelNames } from '../../home/channel-names.js';
import { draftOfAlert, emptyDraft, type ModalMeta } from '../../views/alert-draft.js';
import { buildAlertModal } from '../../views/alert-modal.js';
import { confirmDeleteAnswer, helpAnswer, listAnswer, type Answer } from '../../views/messages.js';
import { alertIdOf, gate, notFoundFor, organizationOf, refusedAnswer, requesterOf } from '../actions/alert-access.js';
import { runAlertOperation } from '../actions/alert-operations.js';
import { modalState } from '../views/modal-catalog.js';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * /flag-alert: every answer is ephemeral and goes back in the command's HTTP response (ack).
 * Modals open before anything slow, inside Slack's 3-second trigger window.
 */
export function flagAlertCommand(deps: AppDeps, ops: AlertOperationsDeps) {
  return async (args: Args) => {
    const { command, ack } = args;
    const organizationId = organizationOf(args.context);
    const [sub = 'create', ...rest] = command.text
      .trim()
      .split(/\s+/)
      .filter((t) => t.length > 0);
    const answer = await answerFor(deps, ops, args, organizationId, sub.toLowerCase(), rest);
    if (answer) await ack({ response_type: 'ephemeral', text: answer.text, ...(answer.blocks ? { blocks: answer.blocks } : {}) });
    else await ack();
  };
}

/** undefined: a modal opened, nothing to say. */
async function answerFor(
  deps: AppDeps,
  ops: AlertOperationsDeps,
  args: Args,
  organizationId: string,
  sub: string,
  rest: string[],
): Promise<Answer | undefined> {
  const userId = args.command.user_id;
  switch (sub) {
    case 'create':
      return openModal(deps, args, organizationId, undefined);
    case 'edit':
      return openModal(deps, args, organizationId, rest[0]);
    case 'list':
      return list(deps, organizationId, userId);
    case 'delete': {
      // Only asks: the confirmation's button runs the delete operation.
      const found = await manageableAlert(deps, await requesterOf(deps, organizationId, userId), alertIdOf(rest[0]));
      if (found.kind === 'refused') return refusedAnswer(found, 'delete alerts');
      return found.kind === 'found' ? confirmDeleteAnswer(found.alert) : notFoundFor(rest[0]);
    }
    case 'pause':
    case 'resume':
    case 'test':
      return (await runAlertOperation(deps, ops, organizationId, userId, sub, rest[0])).answer;
    case 'role':
      return setRole(deps, organizationId, userId, rest);
    case 'help':
      return helpAnswer();
    default:
      return helpAnswer(`I don't know "${truncate(sub, 40, '…')}".`);
  }
}

async function openModal(deps: AppDeps, args: Args, organizationId: string, editId: string | undefined): Promise<Answer | undefined> {
  const userId = args.command.user_id;
  const editing = editId !== undefined;
  const requester = await requesterOf(deps, organizationId, userId);
  const notAllowed = (refused: Refused) => refusedAnswer(refused, editing ? 'edit alerts' : 'create alerts');
  let meta: ModalMeta = { mode: 'create', channelId: args.command.channel_id };
  let draft = emptyDraft(undefined);
  if (!editing) {
    const refused = await refusalOf(deps, requester);
    if (refused) return notAllowed(refused);
  } else {
    const found = await manageableAlert(deps, requester, alertIdOf(editId));
    if (found.kind === 'refused') return notAllowed(found);
    if (found.kind === 'not-found') return notFoundFor(editId);
    meta = { mode: 'edit', alertId: found.alert.id, hasStoredKey: found.alert.destination.type === 'webhook' };
    draft = draftOfAlert(found.alert);
  }
  const view = buildAlertModal({ meta, ...(await modalState(deps, organizationId, draft)) });
  try {
    await args.client.views.open({ trigger_id: args.command.trigger_id, view });
    return undefined;
  } catch (error) {
    args.logger.warn(`views.open failed: ${error instanceof Error ? error.message : String(error)}`);
    return { text: 'Slack did not open the form in time. Please run the command again.' };
  }
}

async function list(deps: AppDeps, organizationId: string, userId: string): Promise<Answer> {
  const allowed = await gate(deps, organizationId, userId, 'view', 'see alerts');
  if (!allowed.ok) return allowed.answer;
  const [alerts, projects] = await Promise.all([listAlerts(deps.db, organizationId), listProjects(deps.db, organizationId)]);
  const channels = await visibleChannelNames(deps, organizationId, alerts);
  return listAnswer(alerts, new Map(projects.map((p) => [p.projectId, p.name])), channels);
}

/** Slack escapes mentions as <@U123|name> (or <@U123>). */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

async function setRole(deps: AppDeps, organizationId: string, userId: string, rest: string[]): Promise<Answer> {
  const allowed = await gate(deps, organizationId, userId, 'administer', 'change roles');
  if (!allowed.ok) return allowed.answer;
  const target = MENTION.exec(rest[0] ?? '')?.[1];
  const role = (rest[1] ?? '').toLowerCase();
  if (!target || !isRole(role) || rest.length !== 2) {
    return { text: 'Usage: `/flag-alert role @someone admin|member|viewer|none`' };
  }
  if (target === userId && role !== 'admin') return { text: 'You cannot lower your own role; ask another admin.' };
  await setMemberRole(deps.db, { organizationId, userId: target, role, updatedBy: userId }, deps.now());
  forgetSlackFacts(deps, organizationId, target);
  await republishHome(deps, organizationId);
  return { text: `<@${target}> is now ${role === 'none' ? 'without a role' : `a ${role}`} in Flag Alerts.` };
}
