import { banner, layout } from './layout.js';
import { html } from './html.js';

export interface SignInState {
  slackEnabled: boolean;
  error?: string | undefined;
  notice?: string | undefined;
}

/** The first screen: Sign in with Slack, or the operator's admin token. */
export function signInView(s: SignInState): string {
  const body = html`<h1>Sign in</h1>${banner('error', s.error)}${banner('notice', s.notice)}
<section><h2>Workspace members</h2>
${
  s.slackEnabled
    ? html`<p>Sign in with your Slack account to manage your workspace's flag alerts.</p><p><a class="button primary" href="/settings/oidc/start">Sign in with Slack</a></p>`
    : html`<p class="hint">Sign in with Slack is off until the Slack app credentials are set. Use the admin token below.</p>`
}
</section>
<section><h2>Operator</h2>
<form method="post" action="/settings/login">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<p class="hint">Set with <code>ADMIN_TOKEN</code>, or printed once as a sign-in link in the log on first start.</p>
<p><button class="primary" type="submit">Sign in</button></p>
</form></section>`;
  return layout('Sign in', body);
}

/** A short page for refusals and dead ends, with a way back. */
export function messageView(title: string, text: string, link?: { href: string; label: string }): string {
  return layout(
    title,
    html`<h1>${title}</h1><section><p>${text}</p>${link ? html`<p><a class="button" href="${link.href}">${link.label}</a></p>` : ''}</section>`,
  );
}

/** Signed in to Slack, but the workspace never installed the app. */
export function notInstalledView(teamId: string, slackEnabled: boolean): string {
  return layout(
    'Not installed',
    html`<h1>Flag Alerts is not in this workspace yet</h1>
<section><p>Your workspace (${teamId}) has not installed Flag Alerts. Add it to Slack first, then sign in again.</p>
${slackEnabled ? html`<p><a class="button primary" href="/slack/install">Add to Slack</a></p>` : ''}
<p><a href="/settings">Back to sign in</a></p></section>`,
  );
}
