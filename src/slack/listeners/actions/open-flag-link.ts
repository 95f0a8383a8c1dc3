import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';

/** "Open flag" is a link button: Slack opens the URL itself, but still expects the click acknowledged. */
export async function openFlagLink({ ack }: AllMiddlewareArgs & SlackActionMiddlewareArgs): Promise<void> {
  await ack();
}
