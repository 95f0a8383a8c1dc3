import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { slackPlatformError } from './platform-error.js';

/** What the check uses: a client with the organization's bot token (undefined without Slack) and a logger. */
export interface ChannelAccessDeps {
  slack: { clientFor(organizationId: string): Promise<WebClient | undefined> } | undefined;
  logger: Pick<Logger, 'warn'>;
}

export interface ChannelAccess {
  /** the bot can post there now (public channels via chat:write.public, private ones only as a member) */
  canPost: boolean;
  /** the workspace's bot can see the channel at all */
  visible: boolean;
  isPrivate: boolean;
  channelName: string | null;
  /** what to tell a person when the bot cannot post */
  hint: string;
}

/** Why the bot cannot post, as Slack puts it: these mean "invite the bot", anything else is unknown. */
const NOT_VISIBLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/**
 * Asks Slack whether the bot can post in a channel. Private channels the bot is not in look like
 * "channel_not_found"; those alerts are stored as waiting until someone invites the bot.
 */
export async function checkChannelAccess(deps: ChannelAccessDeps, organizationId: string, channelId: string): Promise<ChannelAccess> {
  const hint = `Invite the app to <#${channelId}> with \`/invite @Flag Alerts\`: until then this alert waits and sends nothing.`;
  const client = deps.slack ? await deps.slack.clientFor(organizationId) : undefined;
  // Without Slack we cannot ask; the delivery path reports the channel's state later.
  if (!client) return { canPost: true, visible: true, isPrivate: false, channelName: null, hint };
  try {
    const info = await client.conversations.info({ channel: channelId });
    const ch = info.channel;
    const isPrivate = ch?.is_private === true;
    const isMember = ch?.is_member === true;
    return { canPost: !isPrivate || isMember, visible: true, isPrivate, channelName: ch?.name ?? null, hint };
  } catch (error) {
    const code = slackPlatformError(error);
    if (code && NOT_VISIBLE.has(code)) return { canPost: false, visible: false, isPrivate: true, channelName: null, hint };
    deps.logger.warn({ err: code ?? String(error), organizationId, channelId }, 'conversations.info failed');
    return { canPost: true, visible: false, isPrivate: false, channelName: null, hint };
  }
}
