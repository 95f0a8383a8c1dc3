import type { Alert } from '../../alerts/alert.js';
import type { DeliveryLogEntry } from '../../delivery/deliveries.repository.js';
import { destinationText, scopeText } from '../../slack/views/alert-text.js';
import { statusLabel } from './alert-labels.js';
import { html, when } from './html.js';
import { banner, layout, postButton, type HeaderState } from './layout.js';

export interface AlertLogState {
  header: HeaderState;
  alert: Alert;
  deliveries: DeliveryLogEntry[];
  /** RETENTION_DAYS: how far back the log reaches */
  retentionDays: number;
  canManage: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}

/** An alert and its recent deliveries, with Retry for dead ones. */
export function alertLogView(s: AlertLogState): string {
  const a = s.alert;
  const body = html`<h1>${a.name}</h1>${banner('notice', s.notice)}${banner('error', s.error)}
<section><p>Project ${a.projectId} · ${scopeText(a)} · ${destinationText(a, a.destination.type === 'slack' ? a.destination.channelName : null)} · <span class="badge ${a.status}">${statusLabel(a)}</span></p>
${s.canManage ? html`<div class="actions">${postButton(`/settings/alerts/${a.id}/test`, 'Send test', s.header.csrf)}<a class="button" href="/settings/alerts/${a.id}/edit">Edit</a></div>` : ''}
<p><a href="/settings">Back to alerts</a></p></section>
<section id="deliveries"><h2>Delivery log</h2>
<p class="hint">Sent and dead deliveries are kept ${s.retentionDays} days; pending ones until they are sent.</p>
${
  s.deliveries.length === 0
    ? html`<p>Nothing sent yet.</p>`
    : html`<div class="table"><table><thead><tr><th>#</th><th>Kind</th><th>Status</th><th>Tries</th><th>Queued</th><th>Delivered</th><th>Last response</th><th></th></tr></thead><tbody>
${s.deliveries.map(
  (d) => html`<tr data-delivery-id="${d.id}"><td data-label="#">${d.id}</td><td data-label="Kind">${d.kind}</td>
<td data-label="Status"><span class="badge ${d.status}">${d.status}</span></td><td data-label="Tries">${d.attempts}</td>
<td data-label="Queued">${when(d.createdAt)}</td><td data-label="Delivered">${when(d.deliveredAt)}</td>
<td data-label="Last response">${d.lastStatusCode ? `HTTP ${d.lastStatusCode} ` : ''}${d.lastError ?? ''}</td>
<td>${s.canManage && d.status === 'dead' ? postButton(`/settings/alerts/${a.id}/deliveries/${d.id}/retry`, 'Retry', s.header.csrf) : ''}</td></tr>`,
)}
</tbody></table></div>`
}</section>`;
  return layout(a.name, body, s.header);
}
