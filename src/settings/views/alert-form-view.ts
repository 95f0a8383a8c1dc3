import type { AlertField, AlertFormErrors } from '../../alerts/alert-form.js';
import type { FlagId } from '../../flag-change/model.js';
import { html } from './html.js';
import { banner, csrfField, layout, type HeaderState } from './layout.js';

/** The form as text, exactly as the person typed it (re-shown after an error). */
export interface AlertFormValues {
  name: string;
  projectId: string;
  scope: string;
  deploymentId: string;
  /** comma-separated */
  tags: string;
  destination: string;
  channelId: string;
  webhookUrl: string;
  events: string[];
}

export interface AlertFormState {
  header: HeaderState;
  /** undefined: create */
  editingId?: number | undefined;
  values: AlertFormValues;
  errors: AlertFormErrors;
  /** Slack channels are offered only when a workspace is connected */
  slackAvailable: boolean;
  projects: { projectId: FlagId; name: string | null }[];
  /** editing a webhook alert: an empty signing key keeps the stored one */
  hasSigningKey: boolean;
}

export const EMPTY_ALERT_FORM: AlertFormValues = {
  name: '',
  projectId: '',
  scope: 'project',
  deploymentId: '',
  tags: '',
  destination: 'webhook',
  channelId: '',
  webhookUrl: '',
  events: ['created', 'updated', 'deleted'],
};

/** Create and edit: the same fields, labels and validation messages as the Slack modal. */
export function alertFormView(s: AlertFormState): string {
  const v = s.values;
  const action = s.editingId === undefined ? '/settings/alerts' : `/settings/alerts/${s.editingId}`;
  const title = s.editingId === undefined ? 'Create alert' : 'Edit alert';
  const err = (f: AlertField) => (s.errors[f] ? html`<p class="error" id="error-${f}">${s.errors[f]}</p>` : '');
  // Screen readers announce the error with the field it belongs to.
  const aria = (f: AlertField) => (s.errors[f] ? html` aria-invalid="true" aria-describedby="error-${f}"` : '');
  const radio = (name: string, value: string, label: string, current: string) =>
    html`<label><input type="radio" name="${name}" value="${value}"${current === value ? html` checked` : ''}> ${label}</label>`;
  const body = html`<h1>${title}</h1>
${Object.keys(s.errors).length > 0 ? banner('error', 'Check the fields marked below.') : ''}
<section><form method="post" action="${action}" novalidate>${csrfField(s.header.csrf)}
<label for="projectId">Project</label>
<input id="projectId" name="projectId"${aria('project')} type="text" value="${v.projectId}" list="projects">
<datalist id="projects">${s.projects.map((p) => html`<option value="${p.projectId}">${p.name ?? ''}</option>`)}</datalist>
<p class="hint">The project's ID or key.</p>${err('project')}
<fieldset><legend><strong>Scope</strong></legend>
${radio('scope', 'project', 'All in the project', v.scope)}${radio('scope', 'deployment', 'By deployment', v.scope)}${radio('scope', 'tag', 'By tag', v.scope)}</fieldset>${err('scope')}
<label for="deploymentId">Deployment</label><input id="deploymentId" name="deploymentId"${aria('deployment')} type="text" value="${v.deploymentId}">
<p class="hint">Only for “By deployment”: the deployment's ID or key.</p>${err('deployment')}
<label for="tags">Tags</label><input id="tags" name="tags"${aria('tags')} type="text" value="${v.tags}">
<p class="hint">Only for “By tag”: tags separated by commas.</p>${err('tags')}
<fieldset><legend><strong>Destination</strong></legend>
${s.slackAvailable ? radio('destination', 'slack', 'Slack channel', v.destination) : ''}${radio('destination', 'webhook', 'Webhook', v.destination)}</fieldset>${err('destination')}
${
  s.slackAvailable
    ? html`<label for="channelId">Channel</label><input id="channelId" name="channelId"${aria('channel')} type="text" value="${v.channelId}" placeholder="C0123456789">
<p class="hint">The channel ID (in Slack: channel details, at the bottom).</p>${err('channel')}`
    : ''
}
<label for="webhookUrl">Webhook URL</label><input id="webhookUrl" name="webhookUrl"${aria('webhookUrl')} type="url" value="${v.webhookUrl}" placeholder="https://example.com/hooks/flags">${err('webhookUrl')}
<label for="signingKey">Signing key</label><input id="signingKey" name="signingKey"${aria('signingKey')} type="password" autocomplete="new-password" value="">
<button type="button" data-generate-key="signingKey">Generate key</button>
<p class="hint">At least 16 characters; your receiver verifies each request with it. A generated key is shown only here: copy it before saving.${s.hasSigningKey ? ' Leave empty to keep the current key.' : ''}</p>${err('signingKey')}
<fieldset><legend><strong>Events</strong></legend>
${(['created', 'updated', 'deleted'] as const).map((e) => html`<label><input type="checkbox" name="events" value="${e}"${v.events.includes(e) ? html` checked` : ''}> ${e}</label>`)}</fieldset>${err('events')}
<label for="name">Alert name</label><input id="name" name="name"${aria('name')} type="text" maxlength="200" value="${v.name}">${err('name')}
<p class="actions"><button class="primary" type="submit">${s.editingId === undefined ? 'Create' : 'Save'}</button><a class="button" href="/settings">Cancel</a></p>
</form></section>`;
  return layout(title, body, s.header);
}
