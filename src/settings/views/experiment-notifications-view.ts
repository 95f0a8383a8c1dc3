import { NOTIFICATION_KINDS } from '../../experiments/experiments.repository.js';
import { NOTIFICATION_CHANNEL_LABELS, NOTIFICATION_KIND_LABELS } from '../../experiments/preference-form.js';
import { MANAGE_PREFERENCES_PATH, type LinkSubject } from '../../experiments/preference-link.js';
import { isSlackUserId } from '../../experiments/preferences.repository.js';
import { DEFAULT_SRM_THRESHOLD, MAX_SRM_THRESHOLD } from '../../experiments/srm.js';
import { html, type SafeHtml } from './html.js';
import { banner, csrfField, layout } from './layout.js';

/** A preference as the form shows it: what is stored, or what was just posted (re-shown after an error). */
export interface PreferenceValues {
  kinds: string[];
  channel: string;
}

export interface PreferenceError {
  field: 'kinds' | 'channel';
  reason: string;
}

const errorOf = (e: PreferenceError | undefined, field: PreferenceError['field']) =>
  e?.field === field ? html`<p class="error" id="error-${field}">${e.reason}</p>` : '';
const ariaOf = (e: PreferenceError | undefined, field: PreferenceError['field']) =>
  e?.field === field ? html` aria-invalid="true" aria-describedby="error-${field}"` : '';

/** The four kinds as checkboxes, and the channel when the person can choose one (an address only gets email). */
function preferenceFields(v: PreferenceValues, error: PreferenceError | undefined, canChooseChannel: boolean): SafeHtml {
  return html`<fieldset${ariaOf(error, 'kinds')}><legend><strong>Notify me when</strong></legend>
${NOTIFICATION_KINDS.map((k) => html`<label><input type="checkbox" name="kinds" value="${k}"${v.kinds.includes(k) ? html` checked` : ''}> ${NOTIFICATION_KIND_LABELS[k]}</label>`)}</fieldset>${errorOf(error, 'kinds')}
${
  canChooseChannel
    ? html`<fieldset${ariaOf(error, 'channel')}><legend><strong>By</strong></legend>
${(['slack', 'email'] as const).map((c) => html`<label><input type="radio" name="channel" value="${c}"${v.channel === c ? html` checked` : ''}> ${NOTIFICATION_CHANNEL_LABELS[c]}</label>`)}</fieldset>${errorOf(error, 'channel')}`
    : html`<input type="hidden" name="channel" value="email"><p class="hint">By email.</p>${errorOf(error, 'channel')}`
}`;
}

/** Dashboard section for a person signed in with Slack: their own choice, for this workspace. */
export function myNotificationsSection(s: { csrf: string; values: PreferenceValues; error?: PreferenceError | undefined }): SafeHtml {
  return html`<section id="experiment-notifications"><h2>Your experiment notifications</h2>
<p class="hint">For experiments you own or follow. Leave every box empty to get none.</p>
<form method="post" action="/settings/notifications">${csrfField(s.csrf)}
${preferenceFields(s.values, s.error, true)}
<p><button class="primary" type="submit">Save notifications</button></p></form></section>`;
}

/** A value of the organization's settings as the form shows it, with the reason it was refused. */
export interface SettingValue {
  value: string;
  error?: string | undefined;
}

const invalid = (error: string | undefined, id: string) => (error ? html` aria-invalid="true" aria-describedby="${id}"` : '');
const errorLine = (error: string | undefined, id: string) => (error ? html`<p class="error" id="${id}">${error}</p>` : '');

/** Dashboard section: when reminders go out and when a traffic split counts as mismatched. Admins change them; everyone else reads them. */
export function organizationNotificationsSection(s: { csrf: string; canChange: boolean; reminders: SettingValue; srmThreshold: SettingValue }): SafeHtml {
  const heading = html`<h2>Experiment notifications (organization)</h2>`;
  if (!s.canChange) {
    return html`<section id="experiment-reminders">${heading}
<p>Reminders go out <strong id="reminder-hours">${s.reminders.value}</strong> hours before an experiment starts and before it ends.</p>
<p>A sample-ratio mismatch is reported when p &lt; <strong id="srm-threshold">${s.srmThreshold.value}</strong>.</p></section>`;
  }
  const { reminders: r, srmThreshold: t } = s;
  return html`<section id="experiment-reminders">${heading}
<form method="post" action="/settings/experiment-reminders">${csrfField(s.csrf)}
<label for="reminder-hours">Hours before start and end</label>
<input id="reminder-hours" name="hours" type="text" inputmode="decimal" maxlength="100" value="${r.value}"${invalid(r.error, 'error-hours')}>
<p class="hint">1 to 5 numbers separated by commas, each at most 720. Applies to experiments scheduled from now on.</p>
${errorLine(r.error, 'error-hours')}
<p><button type="submit">Save reminders</button></p></form>
<form method="post" action="/settings/srm-threshold">${csrfField(s.csrf)}
<label for="srm-threshold">Sample-ratio mismatch when p &lt;</label>
<input id="srm-threshold" name="threshold" type="text" inputmode="decimal" maxlength="40" value="${t.value}"${invalid(t.error, 'error-threshold')}>
<p class="hint">More than 0 and at most ${MAX_SRM_THRESHOLD}; ${DEFAULT_SRM_THRESHOLD} by default. A smaller number warns only about clearer mismatches.</p>
${errorLine(t.error, 'error-threshold')}
<p><button type="submit">Save threshold</button></p></form></section>`;
}

export interface ManagePreferencesState {
  subject: LinkSubject;
  /** the signature from the link, carried in the form */
  token: string;
  orgName: string;
  values: PreferenceValues;
  error?: PreferenceError | undefined;
  notice?: string | undefined;
}

/** The page an email's "Manage your notifications" link opens: no sign-in, the signed link is the key. */
export function managePreferencesView(s: ManagePreferencesState): string {
  const body = html`<h1>Your experiment notifications</h1>${banner('notice', s.notice)}${s.error ? banner('error', 'Check the field marked below.') : ''}
<section id="manage-notifications"><p>For <strong id="manage-person">${s.subject.person}</strong> in <strong>${s.orgName}</strong>.</p>
<form method="post" action="${MANAGE_PREFERENCES_PATH}">
<input type="hidden" name="o" value="${s.subject.organizationId}"><input type="hidden" name="p" value="${s.subject.person}"><input type="hidden" name="t" value="${s.token}">
${preferenceFields(s.values, s.error, isSlackUserId(s.subject.person))}
<p><button class="primary" type="submit">Save</button></p></form></section>`;
  return layout('Your notifications', body);
}
