import type { KnownBlock } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SendOutcome } from '../send-outcome.js';
import { sendDirectMessage } from '../../slack/api/direct-message.js';
import { isPermanentSlackError, isTokenError, remedyFor } from '../../slack/api/permanent-errors.js';
import { slackPlatformError } from '../../slack/api/platform-error.js';

export interface SlackMessageToSend {
  channel: string;
  text: string;
  blocks: KnownBlock[];
}

export interface SlackNotifier {
  post(organizationId: string, message: SlackMessageToSend, creator: string): Promise<SendOutcome>;
  /** Tells a person by DM why their alert stopped; failures here are logged, never retried. */
  dm(organizationId: string, userId: string, text: string): Promise<void>;
}

/** Posts with the organization's current bot token. Knows Slack, nothing of the outbox or the database. */
export function createSlackNotifier(clientFor: (organizationId: string) => Promise<WebClient | undefined>): SlackNotifier {
  return {
    async post(organizationId, message, creator) {
      let client: WebClient | undefined;
      try {
        client = await clientFor(organizationId);
      } catch (error) {
        return { kind: 'retry', error: `could not get the workspace token: ${(error as Error).message}` };
      }
      if (!client) return { kind: 'dead', error: 'Flag Alerts is not installed in this workspace (or was uninstalled)', alertStatus: 'broken' };
      try {
        await client.chat.postMessage({ channel: message.channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
        return { kind: 'delivered' };
      } catch (error) {
        return outcomeOf(error, creator);
      }
    },
    async dm(organizationId, userId, text) {
      const client = await clientFor(organizationId);
      if (!client) return;
      await sendDirectMessage(client, userId, text);
    },
  };
}

function outcomeOf(error: unknown, creator: string): SendOutcome {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; message?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    return { kind: 'retry', error: 'ratelimited', statusCode: 429, retryAfterMs: (e.retryAfter ?? 1) * 1000 };
  }
  if (e.code === ErrorCode.PlatformError) {
    const slackError = slackPlatformError(error) ?? 'unknown_error';
    if (isPermanentSlackError(slackError)) {
      const canDm = !isTokenError(slackError) && /^[UW][A-Z0-9]+$/.test(creator);
      return { kind: 'dead', error: slackError, alertStatus: 'broken', ...(canDm ? { notifyCreator: remedyFor(slackError) } : {}) };
    }
    return { kind: 'retry', error: slackError };
  }
  if (e.code === ErrorCode.HTTPError)
    return { kind: 'retry', error: `Slack answered ${e.statusCode ?? 'an HTTP error'}`, ...(e.statusCode ? { statusCode: e.statusCode } : {}) };
  return { kind: 'retry', error: e.message ?? 'request to Slack failed' };
}
