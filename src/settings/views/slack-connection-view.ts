import { html, when, type SafeHtml } from './html.js';
import { postButton } from './layout.js';

export interface SlackConnectionState {
  slackEnabled: boolean;
  /** the live installation, if any */
  installation: { teamId: string | null; installerUserId: string | null; installedAt: number } | undefined;
  canAdminister: boolean;
  csrf: string;
}

/** Without Slack credentials: how to turn Slack on. */
export function slackSetupSteps(): SafeHtml {
  return html`<p>Slack is off on this server. To turn it on:</p><ol>
<li>At <a href="https://api.slack.com/apps?new_app=1" rel="noopener">api.slack.com/apps</a>, create an app <em>from a manifest</em> and paste <code>manifest.yml</code> (replace the example URLs with this server's <code>PUBLIC_URL</code>).</li>
<li>From <em>Basic Information</em>, copy the Client ID, Client Secret and Signing Secret into <code>.env</code> as <code>SLACK_CLIENT_ID</code>, <code>SLACK_CLIENT_SECRET</code> and <code>SLACK_SIGNING_SECRET</code>.</li>
<li>Restart Flag Alerts and come back here to add it to your workspace.</li></ol>`;
}

export function slackConnectionSection(s: SlackConnectionState): SafeHtml {
  if (!s.slackEnabled) return html`<section><h2>Slack</h2>${slackSetupSteps()}</section>`;
  const i = s.installation;
  if (!i) {
    return html`<section><h2>Slack</h2><p>No Slack workspace is connected. Alerts can still go to webhooks.</p>
${s.canAdminister ? html`<p><a class="button primary" href="/slack/install">Add to Slack</a></p>` : ''}</section>`;
  }
  return html`<section id="slack"><h2>Slack</h2>
<p>Connected to workspace <code>${i.teamId ?? ''}</code>, installed by ${i.installerUserId ? html`<code>${i.installerUserId}</code>` : 'someone'} on ${when(i.installedAt)}.</p>
${
  s.canAdminister
    ? html`<div class="actions"><a class="button" href="/slack/install">Reconnect</a>${postButton('/settings/slack/disconnect', 'Disconnect', s.csrf, 'danger')}</div>
<p class="hint">Disconnecting stops Slack alerts for this workspace; webhook alerts keep working.</p>`
    : ''
}
</section>`;
}
