import type { Button, ConfirmationDialog, HomeView, KnownBlock, MrkdwnElement, PlainTextElement, PlainTextOption, SectionBlock } from '@slack/types';
import type { Alert } from '../../alerts/alert.js';
import { NOTIFICATION_KINDS, type NotificationChannel } from '../../experiments/experiments.repository.js';
import { NOTIFICATION_CHANNEL_LABELS, NOTIFICATION_KIND_LABELS } from '../../experiments/preference-form.js';
import { LIMITS } from '../../formatting/blocks.js';
import { escapeMrkdwn, truncate } from '../../formatting/mrkdwn.js';
import type { Preference } from '../../experiments/preferences.repository.js';
import { destinationText, lastDeliveryText, projectText, scopeText, statusText } from './alert-text.js';
import { ACTION, BLOCK, HOME_PAGE_SIZE } from './ids.js';

export interface HomeRow {
  alert: Alert;
  projectName: string | null;
  /** the channel's name when the viewer can see it */
  channelName: string | null;
}

export interface HomeInput {
  /** every alert of the workspace, in order; the builder cuts the page */
  rows: HomeRow[];
  page: number;
  /** members and admins see the buttons; everyone's clicks are checked again anyway */
  canManage: boolean;
  /** shown instead of the list, e.g. to someone without a role */
  notice?: string;
  /** the viewer's own experiment notification choice (saved, or the default): shown whatever their role */
  preference: Preference;
}

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const md = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / HOME_PAGE_SIZE));
}

/** The App Home tab: the workspace's alerts, one page at a time, then the viewer's notification choice; within Slack's 100-block limit. */
export function buildHomeView(input: HomeInput): HomeView {
  const pages = pageCount(input.rows.length);
  const page = Math.min(Math.max(0, input.page), pages - 1);
  const rows = input.rows.slice(page * HOME_PAGE_SIZE, (page + 1) * HOME_PAGE_SIZE);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Flag alerts') },
    {
      type: 'section',
      text: md(
        input.notice ??
          (input.rows.length === 0
            ? 'No alerts yet. Alerts tell a channel or a webhook when feature flags change.'
            : `${input.rows.length} alert${input.rows.length === 1 ? '' : 's'} in this workspace.`),
      ),
    },
  ];
  if (input.canManage) {
    blocks.push({
      type: 'actions',
      block_id: 'home_toolbar',
      elements: [{ type: 'button', action_id: ACTION.homeCreate, text: plain('Create alert'), style: 'primary', value: 'create' }],
    });
  }
  blocks.push({ type: 'divider' });
  for (const row of rows) blocks.push(...alertBlocks(row, input.canManage));
  if (pages > 1) blocks.push(...pagingBlocks(page, pages));
  blocks.push(...preferenceBlocks(input.preference));
  return { type: 'home', private_metadata: JSON.stringify({ page }), blocks };
}

function alertBlocks(row: HomeRow, canManage: boolean): KnownBlock[] {
  const a = row.alert;
  const lines = [
    `*${escapeMrkdwn(a.name)}*  ·  #${a.id}  ·  ${statusText(a)}`,
    `*Project:* ${escapeMrkdwn(projectText(a, row.projectName))}  ·  *Scope:* ${escapeMrkdwn(scopeText(a))}`,
    `*Destination:* ${escapeMrkdwn(destinationText(a, row.channelName))}  ·  *Events:* ${a.actions.join(', ')}`,
    `*Created by:* <@${a.createdBy}>  ·  *Last delivery:* ${lastDeliveryText(a)}`,
  ];
  const section: SectionBlock = { type: 'section', block_id: `alert_${a.id}`, text: md(truncate(lines.join('\n'), LIMITS.sectionText)) };
  if (!canManage) return [section];
  const value = String(a.id);
  const paused = a.status === 'paused';
  return [
    section,
    {
      type: 'actions',
      block_id: `alert_actions_${a.id}`,
      elements: [
        { type: 'button', action_id: ACTION.alertEdit, text: plain('Edit'), value },
        paused
          ? { type: 'button', action_id: ACTION.alertResume, text: plain('Resume'), value }
          : { type: 'button', action_id: ACTION.alertPause, text: plain('Pause'), value },
        { type: 'button', action_id: ACTION.alertTest, text: plain('Send test'), value },
        {
          type: 'button',
          action_id: ACTION.alertDelete,
          text: plain('Delete'),
          style: 'danger',
          value,
          confirm: deleteConfirm(a.name),
        },
      ],
    },
  ];
}

export function deleteConfirm(name: string): ConfirmationDialog {
  return {
    title: plain('Delete alert?'),
    text: md(`"${escapeMrkdwn(name)}" stops sending and is removed. This cannot be undone.`),
    confirm: plain('Delete'),
    deny: plain('Keep it'),
    style: 'danger',
  };
}

function pagingBlocks(page: number, pages: number): KnownBlock[] {
  const elements: Button[] = [];
  if (page > 0) elements.push({ type: 'button', action_id: ACTION.homePrevious, text: plain('Previous'), value: String(page - 1) });
  if (page < pages - 1) elements.push({ type: 'button', action_id: ACTION.homeNext, text: plain('Next'), value: String(page + 1) });
  return [
    { type: 'context', elements: [md(`Page ${page + 1} of ${pages}`)] },
    { type: 'actions', block_id: 'home_paging', elements },
  ];
}

const CHANNELS: NotificationChannel[] = ['slack', 'email'];

/** The viewer's experiment notifications: each change is saved at once, so there is no Save button. */
function preferenceBlocks(preference: Preference): KnownBlock[] {
  const kindOption = (kind: (typeof NOTIFICATION_KINDS)[number]): PlainTextOption => ({ text: plain(NOTIFICATION_KIND_LABELS[kind]), value: kind });
  const channelOption = (channel: NotificationChannel): PlainTextOption => ({ text: plain(NOTIFICATION_CHANNEL_LABELS[channel]), value: channel });
  const checked = NOTIFICATION_KINDS.filter((k) => preference.kinds.includes(k)).map(kindOption);
  return [
    { type: 'divider' },
    { type: 'header', text: plain('Your experiment notifications') },
    { type: 'section', text: md('For experiments you own or follow: choose what you get and how. Changes are saved at once.') },
    {
      type: 'actions',
      block_id: BLOCK.notificationKinds,
      elements: [
        {
          type: 'checkboxes',
          action_id: ACTION.notificationKinds,
          options: NOTIFICATION_KINDS.map(kindOption),
          // Slack refuses an empty initial_options: nothing checked is said by leaving it out.
          ...(checked.length > 0 ? { initial_options: checked } : {}),
        },
      ],
    },
    {
      type: 'actions',
      block_id: BLOCK.notificationChannel,
      elements: [
        {
          type: 'radio_buttons',
          action_id: ACTION.notificationChannel,
          options: CHANNELS.map(channelOption),
          initial_option: channelOption(preference.channel),
        },
      ],
    },
    { type: 'context', elements: [md('Email goes to the address of your Slack profile.')] },
  ];
}
