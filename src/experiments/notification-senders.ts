import type { WebClient } from '@slack/web-api';
import type { Transporter } from 'nodemailer';
import { sendDirectMessage } from '../slack/api/direct-message.js';
import { isPermanentSlackError } from '../slack/api/permanent-errors.js';
import { slackPlatformError } from '../slack/api/platform-error.js';
import type { NotificationMessage } from './notification-message.js';
import { isSlackUserId } from './preferences.repository.js';

/** Sends one message to one person; throws on failure (the worker retries). */
export type SendTo = (organizationId: string, recipient: string, message: NotificationMessage) => Promise<void>;

export interface NotificationSenders {
  slack: SendTo | undefined;
  email: SendTo | undefined;
}

type ClientFor = (organizationId: string) => Promise<WebClient | undefined>;

/** Slack DM: open the conversation with the person, then post in it. */
export function slackDmSender(clientFor: ClientFor): SendTo {
  return async (organizationId, userId, message) => {
    const client = await clientFor(organizationId);
    if (!client) throw new PermanentSendError('Flag Alerts is not installed in this workspace');
    await sendDirectMessage(client, userId, message.text);
  };
}

/**
 * Email over one SMTP transport (created once per worker, so a pooled `SMTP_URL` keeps its connections).
 * A Slack user who chose email is mailed at the address their Slack profile shows (`slackEmailOf`).
 */
export function emailSender(
  transport: Transporter,
  from: string,
  slackEmailOf: ((organizationId: string, userId: string) => Promise<string>) | undefined,
): SendTo {
  return async (organizationId, recipient, message) => {
    let to = recipient;
    if (isSlackUserId(recipient)) {
      if (!slackEmailOf) throw new PermanentSendError(`Slack is not configured, so ${recipient}'s email address is unknown: choose an email address instead`);
      to = await slackEmailOf(organizationId, recipient);
    }
    await transport.sendMail({ from, to, subject: message.subject, text: message.text });
  };
}

/**
 * A Slack user's email address from `users.info` (profile.email). Slack leaves the field out when the
 * install lacks the `users:read.email` scope (installs older than that scope) or the profile has no email.
 */
export function slackEmailLookup(clientFor: ClientFor): (organizationId: string, userId: string) => Promise<string> {
  return async (organizationId, userId) => {
    const client = await clientFor(organizationId);
    if (!client) throw new PermanentSendError(`Flag Alerts is not installed in this workspace, so ${userId}'s email address is unknown`);
    let email: string | undefined;
    try {
      email = (await client.users.info({ user: userId })).user?.profile?.email;
    } catch (error) {
      const code = slackPlatformError(error);
      if (code === 'user_not_found' || (code !== undefined && isPermanentSlackError(code)))
        throw new PermanentSendError(`users.info for ${userId} failed: ${code}`);
      throw error;
    }
    if (!email)
      throw new PermanentSendError(`Slack did not share ${userId}'s email address: reinstall Flag Alerts to grant users:read.email, or choose Slack DM`);
    return email;
  };
}

/** A failure retrying cannot fix: the notification goes dead at once. */
export class PermanentSendError extends Error {}
