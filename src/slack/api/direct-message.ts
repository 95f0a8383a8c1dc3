import type { WebClient } from '@slack/web-api';

/**
 * The one way a person gets a direct message from the bot: open the conversation, then post in it.
 * Throws when Slack refuses either call; callers decide whether that is retried or only logged.
 */
export async function sendDirectMessage(client: WebClient, userId: string, text: string): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await client.chat.postMessage({ channel, text, unfurl_links: false });
}
