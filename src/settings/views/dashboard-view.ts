import type { Alert } from '../../alerts/alert.js';
import type { IngestKeySummary } from '../../ingest-keys/ingest-keys.repository.js';
import { destinationText, projectText, scopeText } from '../../slack/views/alert-text.js';
import { statusLabel } from './alert-labels.js';
import { html, when, type SafeHtml } from './html.js';
import { banner, csrfField, layout, postButton, type HeaderState } from './layout.js';
import {
  myNotificationsSection,
  organizationNotificationsSection,
  type PreferenceError,
  type PreferenceValues,
  type SettingValue,
} from './experiment-notifications-view.js';
import { slackConnectionSection, type SlackConnectionState } from './slack-connection-view.js';

export interface AlertRow {
  alert: Alert;
  projectName: string | null;
}

export interface DashboardState {
  header: HeaderState;
  slack: SlackConnectionState;
  alerts: AlertRow[];
  canManage: boolean;
  canAdminister: boolean;
  /** undefined for people who may not see keys */
  keys: IngestKeySummary[] | undefined;
  /** a key just created: shown this once */
  createdKey?: { key: string; curl: string } | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** the signed-in Slack person's own experiment notifications; undefined for the operator */
  myNotifications?: { values: PreferenceValues; error?: PreferenceError | undefined } | undefined;
  /** the organization's reminder hours ("24, 1") and SRM threshold ("0.001"), as text; both or neither */
  organizationNotifications?: { reminders: SettingValue; srmThreshold: SettingValue } | undefined;
}

/** The organization's page: Slack connection, alerts, ingest keys, experiment notifications. */
export function dashboardView(s: DashboardState): string {
  const body = html`<h1>Flag alerts</h1>${banner('notice', s.notice)}${banner('error', s.error)}
${s.createdKey ? createdKeySection(s.createdKey) : ''}
${slackConnectionSection(s.slack)}
${alertsSection(s)}
${sourcesLink(s.canAdminister)}
${s.keys ? keysSection(s.keys, s.header.csrf) : ''}
${s.myNotifications ? myNotificationsSection({ csrf: s.header.csrf, ...s.myNotifications }) : ''}
${s.organizationNotifications ? organizationNotificationsSection({ csrf: s.header.csrf, canChange: s.canAdminister, ...s.organizationNotifications }) : ''}`;
  return layout('Settings', body, s.header);
}

function alertsSection(s: DashboardState): SafeHtml {
  return html`<section id="alerts"><h2>Alerts</h2>
${s.canManage ? html`<p><a class="button primary" href="/settings/alerts/new">Create alert</a></p>` : ''}
${
  s.alerts.length === 0
    ? html`<p>No alerts yet. Alerts tell a Slack channel or a webhook when feature flags change.</p>`
    : html`<div class="table"><table><thead><tr><th>Name</th><th>Project</th><th>Scope</th><th>Destination</th><th>Created by</th><th>Status</th><th>Last delivery</th><th></th></tr></thead>
<tbody>${s.alerts.map((row) => alertRow(row, s.canManage, s.header.csrf))}</tbody></table></div>`
}
</section>`;
}

function alertRow({ alert: a, projectName }: AlertRow, canManage: boolean, csrf: string): SafeHtml {
  const base = `/settings/alerts/${a.id}`;
  return html`<tr data-alert-id="${a.id}">
<td data-label="Name"><a href="${base}">${a.name}</a></td>
<td data-label="Project">${projectText(a, projectName)}</td>
<td data-label="Scope">${scopeText(a)}<br><span class="hint">${a.actions.join(', ')}</span></td>
<td data-label="Destination">${destinationText(a, a.destination.type === 'slack' ? a.destination.channelName : null)}</td>
<td data-label="Created by">${a.createdBy}</td>
<td data-label="Status"><span class="badge ${a.status}">${statusLabel(a)}</span></td>
<td data-label="Last delivery">${when(a.lastDeliveryAt)}${a.lastDeliveryOutcome ? ` (${a.lastDeliveryOutcome})` : ''}</td>
<td><div class="actions"><a class="button" href="${base}">Log</a>
${
  canManage
    ? html`<a class="button" href="${base}/edit">Edit</a>
${a.status === 'paused' ? postButton(`${base}/resume`, 'Resume', csrf) : postButton(`${base}/pause`, 'Pause', csrf)}
${postButton(`${base}/test`, 'Send test', csrf)}
${postButton(`${base}/delete`, 'Delete', csrf, 'danger')}`
    : ''
}</div></td></tr>`;
}

function sourcesLink(canAdminister: boolean): SafeHtml {
  return html`<section id="sources-link"><h2>Sources</h2>
<p class="hint">Flag platforms (LaunchDarkly, Unleash, Flagsmith, GrowthBook, ConfigCat, Flipt) that post their changes here with their own webhooks.</p>
<p><a class="button" href="/settings/sources">${canAdminister ? 'Manage sources' : 'See sources'}</a></p></section>`;
}

function keysSection(keys: IngestKeySummary[], csrf: string): SafeHtml {
  return html`<section id="ingest-keys"><h2>Ingest keys</h2>
<p class="hint">Your flag system sends changes to <code>POST /api/v1/flag-events</code> with one of these keys.</p>
<form method="post" action="/settings/ingest-keys">${csrfField(csrf)}
<label for="key-name">Key name</label><input id="key-name" name="name" type="text" maxlength="80" placeholder="e.g. production flags" required>
<p><button type="submit">Create key</button></p></form>
${
  keys.length === 0
    ? html`<p>No keys yet.</p>`
    : html`<div class="table"><table><thead><tr><th>Name</th><th>Key</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead><tbody>
${keys.map(
  (k) => html`<tr data-key-id="${k.id}"><td data-label="Name">${k.name}</td><td data-label="Key"><code>${k.prefix}…</code></td>
<td data-label="Created">${when(k.createdAt)}${k.createdBy ? ` by ${k.createdBy}` : ''}</td><td data-label="Last used">${k.lastUsedAt ? when(k.lastUsedAt) : 'never'}</td>
<td data-label="Status">${k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td>
<td>${k.revokedAt ? '' : postButton(`/settings/ingest-keys/${k.id}/revoke`, 'Revoke', csrf, 'danger')}</td></tr>`,
)}
</tbody></table></div>`
}
</section>`;
}

function createdKeySection(k: { key: string; curl: string }): SafeHtml {
  return html`<section class="notice" id="new-key"><h2>Your new ingest key</h2>
<p>Copy it now: it is shown only once and stored only as a hash.</p>
<pre id="new-key-value">${k.key}</pre>
<p><button type="button" data-copy="new-key-value">Copy key</button></p>
<p>Try it with a sample change:</p><pre id="curl-example">${k.curl}</pre></section>`;
}

/** A ready-to-run curl that posts a sample change with the new key. */
export function curlExample(publicUrl: string, key: string): string {
  const body = JSON.stringify({
    projectId: 1,
    projectName: 'Sample project',
    action: 'created',
    modifiedBy: 'you@example.com',
    flag: { id: 1, key: 'sample-flag', name: 'Sample flag', enabled: true },
  });
  return `curl -X POST '${publicUrl}/api/v1/flag-events' \\\n  -H 'Authorization: Bearer ${key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
}
