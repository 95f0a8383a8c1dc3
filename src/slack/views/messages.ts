import type { KnownBlock, ModalView, MrkdwnElement } from '@slack/types';
import type { Alert } from '../../alerts/alert.js';
import type { FlagId } from '../../flag-change/model.js';
import { LIMITS } from '../../formatting/blocks.js';
import { escapeMrkdwn, truncate } from '../../formatting/mrkdwn.js';
import type { Role } from '../../roles/roles.js';
import { destinationText, projectText, scopeText, statusText } from './alert-text.js';
import { deleteConfirm } from './home-view.js';
import { ACTION } from './ids.js';

/** Ephemeral answers of /flag-alert: text for notifications and screen readers, blocks where they help. */
export interface Answer {
  text: string;
  blocks?: KnownBlock[];
}

const md = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

export const HELP_TEXT = [
  '*/flag-alert* tells channels and webhooks when feature flags change.',
  '• `/flag-alert` or `/flag-alert create`: create an alert',
  '• `/flag-alert list`: the alerts of this workspace',
  '• `/flag-alert edit <id>`: change an alert',
  '• `/flag-alert pause <id>` / `resume <id>`: stop and restart an alert',
  '• `/flag-alert test <id>`: send a sample notification',
  '• `/flag-alert delete <id>`: remove an alert',
  "• `/flag-alert role @user admin|member|viewer|none`: set someone's role (admins)",
  "The app's Home tab lists every alert with buttons.",
].join('\n');

export function helpAnswer(intro?: string): Answer {
  const text = intro ? `${intro}\n\n${HELP_TEXT}` : HELP_TEXT;
  return { text, blocks: [{ type: 'section', text: md(text) }] };
}

/** Someone lacks the role: name who can help. */
export function askAnAdminAnswer(role: Role, action: string, admins: string[]): Answer {
  const who =
    admins.length > 0
      ? admins
          .slice(0, 10)
          .map((u) => `<@${u}>`)
          .join(', ')
      : 'a workspace admin';
  const yours = role === 'none' ? 'you have no role in Flag Alerts' : `your role is ${role}`;
  return { text: `You cannot ${action}: ${yours}. Ask an admin (${who}).` };
}

export function notFoundAnswer(id: string): Answer {
  return { text: `There is no alert #${escapeMrkdwn(id)} in this workspace. \`/flag-alert list\` shows the alerts.` };
}

export function listAnswer(alerts: Alert[], projectNames: Map<FlagId, string | null>, channelNames: Map<string, string | null>): Answer {
  if (alerts.length === 0) return { text: 'No alerts yet. Create one with `/flag-alert create`.' };
  const shown = alerts.slice(0, 40);
  const lines = shown.map((a) => {
    const channel = a.destination.type === 'slack' ? channelNames.get(a.destination.channelId) : null;
    return `• *#${a.id} ${escapeMrkdwn(a.name)}*: ${escapeMrkdwn(projectText(a, projectNames.get(a.projectId)))}, ${escapeMrkdwn(scopeText(a))} → ${escapeMrkdwn(destinationText(a, channel))} (${statusText(a)})`;
  });
  if (alerts.length > shown.length) lines.push(`…and ${alerts.length - shown.length} more: see the app's Home tab.`);
  const text = lines.join('\n');
  return { text, blocks: [{ type: 'section', text: md(truncate(text, LIMITS.sectionText)) }] };
}

export function confirmDeleteAnswer(alert: Alert): Answer {
  const text = `Delete alert #${alert.id} "${escapeMrkdwn(alert.name)}"?`;
  return {
    text,
    blocks: [
      { type: 'section', text: md(text) },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.alertDelete,
            style: 'danger',
            text: { type: 'plain_text', text: 'Delete' },
            value: String(alert.id),
            confirm: deleteConfirm(alert.name),
          },
        ],
      },
    ],
  };
}

/** A one-screen modal for answers to buttons on the Home tab, where there is no ephemeral message. */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: 'notice_modal',
    title: { type: 'plain_text', text: truncate(title, LIMITS.modalTitle, '…') },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: md(text) }],
  };
}
