import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { alertFormView, EMPTY_ALERT_FORM } from '../../src/settings/views/alert-form-view.js';
import { curlExample, dashboardView } from '../../src/settings/views/dashboard-view.js';
import { html } from '../../src/settings/views/html.js';

const XSS = '<img src=x onerror=alert(1)>';
const header = { who: XSS, orgName: XSS, role: 'admin', csrf: 'tok"en', canSwitch: true };

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 1,
    organizationId: 'T1',
    name: XSS,
    projectId: 7,
    scope: { type: 'tag', tags: [XSS] },
    actions: ['created'],
    destination: { type: 'slack', channelId: 'C1', channelName: XSS },
    status: 'failing',
    statusReason: XSS,
    createdBy: XSS,
    createdAt: 0,
    updatedAt: 0,
    lastDeliveryAt: 0,
    lastDeliveryOutcome: XSS,
    ...over,
  };
}

describe('settings views', () => {
  it('escapes every interpolated value and keeps nested markup', () => {
    const inner = html`<b>${XSS}</b>`;
    expect(html`<p title="${'"q"'}">${inner}${[XSS, 1]}${undefined}${false}</p>`.value).toBe(
      '<p title="&quot;q&quot;"><b>&lt;img src=x onerror=alert(1)&gt;</b>&lt;img src=x onerror=alert(1)&gt;1</p>',
    );
  });

  it('renders names, tags, channels, reasons and keys from users as text on the dashboard', () => {
    const page = dashboardView({
      header,
      slack: { slackEnabled: true, installation: { teamId: XSS, installerUserId: XSS, installedAt: 0 }, canAdminister: true, csrf: 'tok"en' },
      alerts: [{ alert: alert(), projectName: XSS }],
      canManage: true,
      canAdminister: true,
      keys: [{ id: 1, name: XSS, prefix: XSS, createdAt: 0, lastUsedAt: null, revokedAt: null, createdBy: XSS }],
      createdKey: { key: XSS, curl: curlExample('http://x', XSS) },
    });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('value="tok&quot;en"');
    expect(page).toContain('<meta name="viewport"');
  });

  it('shows a viewer no controls and says when Slack is off', () => {
    const page = dashboardView({
      header: { ...header, role: 'viewer', canSwitch: false },
      slack: { slackEnabled: false, installation: undefined, canAdminister: false, csrf: 't' },
      alerts: [{ alert: alert({ name: 'ok' }), projectName: null }],
      canManage: false,
      canAdminister: false,
      keys: undefined,
    });
    for (const control of ['/settings/alerts/new', '/edit', '/delete', '/pause', '/test', 'ingest-keys']) expect(page).not.toContain(control);
    expect(page).toContain('manifest.yml');
    expect(page).toContain('SLACK_CLIENT_ID');
  });

  it('puts the validation errors next to their fields and keeps what was typed', () => {
    const page = alertFormView({
      header,
      values: { ...EMPTY_ALERT_FORM, name: XSS, webhookUrl: '"><script>' },
      errors: { webhookUrl: 'The webhook URL must start with https://.' },
      slackAvailable: false,
      projects: [{ projectId: 7, name: XSS }],
      hasSigningKey: true,
    });
    expect(page).toContain('id="error-webhookUrl">The webhook URL must start with https://.</p>');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('value="slack"');
    expect(page).toContain('Leave empty to keep the current key.');
  });
});
