import nodemailer from 'nodemailer';
import type { WebClient } from '@slack/web-api';
import type { NotificationMessage } from './notification-message.js';

/** Sends one message to one person; throws on failure (the worker retries). */
export type SendTo = (organizationId: string, recipient: string, message: NotificationMessage) => Promise<void>;

export interface NotificationSenders {
  slack: SendTo | undefined;
  email: SendTo | undefined;
}

/** Slack DM: open the conversation with the person, then post in it. */
export function slackDmSender(clientFor: (organizationId: string) => Promise<WebClient | undefined>): SendTo {
  return async (organizationId, userId, message) => {
    const client = await clientFor(organizationId);
    if (!client) throw new PermanentSendError('Flag Alerts is not installed in this workspace');
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    await client.chat.postMessage({ channel, text: message.text, unfurl_links: false });
  };
}

/** Email over SMTP (`SMTP_URL`, smtp:// or smtps://) with nodemailer. */
export function emailSender(smtpUrl: string, from: string): SendTo {
  const transport = nodemailer.createTransport(smtpUrl);
  return async (_organizationId, address, message) => {
    await transport.sendMail({ from, to: address, subject: message.subject, text: message.text });
  };
}

/** A failure retrying cannot fix: the notification goes dead at once. */
export class PermanentSendError extends Error {}
