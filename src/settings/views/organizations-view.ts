import type { OrganizationSummary } from '../../organizations/organizations.repository.js';
import { html } from './html.js';
import { banner, csrfField, layout, type HeaderState } from './layout.js';
import { slackSetupSteps } from './slack-connection-view.js';

export interface OrganizationsState {
  header: HeaderState;
  orgs: OrganizationSummary[];
  slackEnabled: boolean;
  error?: string | undefined;
}

/** The operator's start: pick an organization, add a Slack workspace, or create a webhook-only organization. */
export function organizationsView(s: OrganizationsState): string {
  const body = html`<h1>Organizations</h1>${banner('error', s.error)}
<section><h2>Manage</h2>
${
  s.orgs.length === 0
    ? html`<p>No organizations yet. Connect a Slack workspace, or create an organization for webhooks only.</p>`
    : html`<div class="table"><table><thead><tr><th>Name</th><th>ID</th><th>Slack</th><th></th></tr></thead><tbody>
${s.orgs.map(
  (
    o,
  ) => html`<tr><td data-label="Name">${o.name}</td><td data-label="ID"><code>${o.id}</code></td><td data-label="Slack">${o.connected ? 'connected' : 'not connected'}</td>
<td><form class="inline" method="post" action="/settings/organizations/select">${csrfField(s.header.csrf)}<input type="hidden" name="organizationId" value="${o.id}"><button type="submit">Manage</button></form></td></tr>`,
)}
</tbody></table></div>`
}
</section>
<section><h2>Connect a Slack workspace</h2>
${s.slackEnabled ? html`<p><a class="button primary" href="/slack/install">Add to Slack</a></p>` : slackSetupSteps()}
</section>
<section><h2>Webhooks only</h2>
<form method="post" action="/settings/organizations">${csrfField(s.header.csrf)}
<label for="org-name">Organization name</label><input id="org-name" name="name" type="text" maxlength="80" required>
<p class="hint">For teams that send flag changes to webhooks and never use Slack.</p>
<p><button type="submit">Create organization</button></p></form></section>`;
  return layout('Organizations', body, s.header);
}
