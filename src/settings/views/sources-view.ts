import type { ListedSource } from '../../sources/operations/listed-source.js';
import type { SourceField } from '../../sources/operations/source-form.js';
import { html, when, type SafeHtml } from './html.js';
import { banner, csrfField, layout, type HeaderState } from './layout.js';

/** A platform the create form offers. */
export interface PlatformChoice {
  kind: string;
  label: string;
  secretOrigin: 'generated' | 'platform';
}

/** A refused field, in the page's words. */
export interface FieldProblem {
  field: SourceField;
  text: string;
}

/** The create form as typed (never the secret: it is not shown back). */
export interface SourceFormValues {
  kind: string;
  name: string;
}

/** A source just created or rotated: the secret is shown on this response only. */
export interface SecretShown {
  source: ListedSource;
  secret: string;
  /** we made the secret (show it to paste into the platform); else it is the one the admin pasted */
  generated: boolean;
  /** after create: the platform's setup guide for the source's URL */
  setupSteps?: string[];
}

export interface SourcesPageState {
  header: HeaderState;
  sources: ListedSource[];
  /** admins: the create form and each source's Rotate and Delete */
  canAdminister: boolean;
  platforms: PlatformChoice[];
  values?: SourceFormValues | undefined;
  problem?: FieldProblem | undefined;
  created?: SecretShown | undefined;
  rotated?: SecretShown | undefined;
  notice?: string | undefined;
}

/** Which labels the page gives the form's fields, so an operation's reason names the field the admin sees. */
export const SOURCE_FIELD_LABELS: Record<SourceField, string> = { kind: 'Platform', name: 'Name', secret: 'Secret' };

/** Sources: flag platforms posting their own webhooks. Everyone with a role sees them; admins manage them. */
export function sourcesView(s: SourcesPageState): string {
  const body = html`<h1>Sources</h1>${banner('notice', s.notice)}${s.problem ? banner('error', s.problem.text) : ''}
${s.created ? createdSection(s.created) : ''}${s.rotated ? rotatedSection(s.rotated) : ''}
${listSection(s)}
${s.canAdminister ? createForm(s) : ''}
<p><a href="/settings">Back to settings</a></p>`;
  return layout('Sources', body, s.header);
}

function listSection(s: SourcesPageState): SafeHtml {
  return html`<section id="sources"><h2>Connected platforms</h2>
<p class="hint">Each source has its own URL: the platform posts its webhooks there, signed with the source's secret.</p>
${
  s.sources.length === 0
    ? html`<p>No sources yet.${s.canAdminister ? ' Connect a flag platform below.' : ' An admin can connect a flag platform.'}</p>`
    : html`<div class="table"><table><thead><tr><th>Name</th><th>Platform</th><th>URL</th><th>Last event</th><th>Accepted / ignored / rejected</th><th>Last error</th>${s.canAdminister ? html`<th></th>` : ''}</tr></thead>
<tbody>${s.sources.map((source) => sourceRow(source, s.canAdminister))}</tbody></table></div>`
}
</section>`;
}

function sourceRow(source: ListedSource, canAdminister: boolean): SafeHtml {
  const base = `/settings/sources/${source.id}`;
  return html`<tr data-source-id="${source.id}">
<td data-label="Name">${source.name}</td>
<td data-label="Platform">${source.label}</td>
<td data-label="URL">${copyable(source.url, `URL of ${source.name}`)}</td>
<td data-label="Last event" class="last-event">${source.lastEventAt === null ? 'none yet' : when(source.lastEventAt)}</td>
<td data-label="Accepted / ignored / rejected" class="counts">${source.accepted} / ${source.ignored} / ${source.rejected}</td>
<td data-label="Last error" class="last-error">${source.lastError === null ? '—' : html`${when(source.lastErrorAt)}<br><span class="error">${source.lastError}</span>`}</td>
${canAdminister ? html`<td><div class="actions"><a class="button" href="${base}/rotate">Rotate secret</a><a class="button danger" href="${base}/delete">Delete</a></div></td>` : ''}
</tr>`;
}

/** A value to copy: selectable text and a Copy button (the page's script, a served file, does the copying). */
function copyable(value: string, label: string): SafeHtml {
  return html`<input type="text" readonly value="${value}" aria-label="${label}" data-select-on-focus>
<button type="button" data-copy-previous>Copy</button>`;
}

function createForm(s: SourcesPageState): SafeHtml {
  const values = s.values ?? { kind: '', name: '' };
  const err = (f: SourceField) => (s.problem?.field === f ? html`<p class="error" id="error-${f}">${s.problem.text}</p>` : '');
  const aria = (f: SourceField) => (s.problem?.field === f ? html` aria-invalid="true" aria-describedby="error-${f}"` : '');
  const fromPlatform = s.platforms.filter((p) => p.secretOrigin === 'platform').map((p) => p.label);
  return html`<section id="new-source"><h2>Connect a platform</h2>
<form id="source-form" method="post" action="/settings/sources" novalidate>${csrfField(s.header.csrf)}
<label for="source-kind">Platform</label>
<select id="source-kind" name="kind"${aria('kind')}><option value="">Choose a platform</option>
${s.platforms.map(
  (p) => html`<option value="${p.kind}" data-secret="${p.secretOrigin}"${values.kind === p.kind ? html` selected` : ''}>${p.label}</option>`,
)}</select>${err('kind')}
<label for="source-name">Name</label>
<input id="source-name" name="name" type="text" maxlength="100" value="${values.name}" placeholder="e.g. Production flags"${aria('name')}>
<p class="hint">Optional: the platform's name when empty.</p>${err('name')}
<div class="platform-secret"><label for="source-secret">Secret</label>
<input id="source-secret" name="secret" type="password" autocomplete="off" maxlength="500" value=""${aria('secret')}>
<p class="hint">${fromPlatform.length > 0 ? `${fromPlatform.join(' and ')} make the secret: paste the one the platform shows. ` : ''}For the other platforms we make one for you to paste into the platform.</p>${err('secret')}</div>
<p><button class="primary" type="submit">Create source</button></p></form></section>`;
}

function createdSection(c: SecretShown): SafeHtml {
  const { source } = c;
  return html`<section class="notice" id="new-source-done"><h2>Source “${source.name}” created</h2>
<p>${source.label} posts its webhooks to this URL:</p>
<pre id="new-source-url">${source.url}</pre>
<p><button type="button" data-copy="new-source-url">Copy URL</button></p>
${secretPart(c)}
<h3>Set it up in ${source.label}</h3>
<ol id="setup-steps">${(c.setupSteps ?? []).map((step) => html`<li>${step}</li>`)}</ol></section>`;
}

function rotatedSection(c: SecretShown): SafeHtml {
  return html`<section class="notice" id="rotated-source"><h2>Secret of “${c.source.name}” replaced</h2>
<p>Deliveries signed with the old secret are refused from now on.</p>${secretPart(c)}</section>`;
}

function secretPart(c: SecretShown): SafeHtml {
  const { label } = c.source;
  if (!c.generated) return html`<p>Secret: the one you pasted from ${label}, kept encrypted.</p>`;
  return html`<p>Secret: copy it now and paste it into ${label}; it is shown only this once.</p>
<pre id="new-source-secret">${c.secret}</pre>
<p><button type="button" data-copy="new-source-secret">Copy secret</button></p>`;
}

/** Rotate: what happens, and the new secret's field: required where the platform makes it, else empty for one made here. */
export function rotateSourceView(s: { header: HeaderState; source: ListedSource; problem?: FieldProblem | undefined }): string {
  const { source } = s;
  const err = s.problem ? html`<p class="error" id="error-secret">${s.problem.text}</p>` : '';
  const body = html`<h1>Rotate the secret of “${source.name}”</h1>${s.problem ? banner('error', s.problem.text) : ''}
<section><form method="post" action="/settings/sources/${source.id}/rotate" novalidate>${csrfField(s.header.csrf)}
<p>The current secret stops working at once: ${source.label}'s deliveries are refused until it signs with the new one.</p>
<label for="source-secret">New secret</label>
<input id="source-secret" name="secret" type="password" autocomplete="off" maxlength="500" value=""${s.problem ? html` aria-invalid="true" aria-describedby="error-secret"` : ''}>
<p class="hint">${
    source.secretFromPlatform
      ? `Make a new secret in ${source.label} and paste it here.`
      : `Leave it empty and a new one is made here and shown once, for you to paste into ${source.label}; or paste one ${source.label} proposes.`
  }</p>${err}
<p class="actions"><button class="primary" type="submit">Rotate secret</button><a class="button" href="/settings/sources">Cancel</a></p></form></section>`;
  return layout('Rotate secret', body, s.header);
}

/** Delete asks first: the platform's webhooks get 404 from then on. */
export function deleteSourceView(s: { header: HeaderState; source: ListedSource }): string {
  const { source } = s;
  const body = html`<h1>Delete “${source.name}”?</h1>
<section><p>${source.label}'s webhooks to <code>${source.url}</code> are answered 404 from then on, and this cannot be undone. Remove the webhook in ${source.label} too.</p>
<form method="post" action="/settings/sources/${source.id}/delete">${csrfField(s.header.csrf)}
<p class="actions"><button class="danger" type="submit">Delete source</button><a class="button" href="/settings/sources">Cancel</a></p></form></section>`;
  return layout('Delete source', body, s.header);
}
