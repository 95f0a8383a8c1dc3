import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';

/** Sets one person's App Home tab to this view (views.publish, rate limited by Slack per workspace). */
export async function publishHomeView(client: WebClient, userId: string, view: HomeView): Promise<void> {
  await client.views.publish({ user_id: userId, view });
}
