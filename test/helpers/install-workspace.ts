import type { FakeSlack, FakeInstall } from './fake-slack.js';

/** Runs the real "Add to Slack" round trip: /slack/install → authorize URL → /slack/oauth_redirect. */
export async function installWorkspace(appUrl: string, slack: FakeSlack, install: FakeInstall): Promise<Response> {
  const start = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
  const location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`/slack/install answered ${start.status}`);
  const state = new URL(location).searchParams.get('state');
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const code = `code-${install.teamId}-${Math.random().toString(36).slice(2)}`;
  slack.addInstall(code, install);
  return fetch(`${appUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state ?? '')}`, {
    redirect: 'manual',
    headers: { cookie },
  });
}
