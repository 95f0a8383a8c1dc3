import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import { createSource, findLiveSource, listSources } from '../../src/sources/sources.repository.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';

const XSS = '<img src=x onerror=alert(1)>';
const URL_OF = /http:\/\/localhost:3000\/api\/v1\/sources\/(src_[a-z2-7]{24})/;

/** LaunchDarkly's audit-log entry, as its webhook posts it (the fixture names where it was copied from). */
const LD_EVENT = JSON.stringify(
  (JSON.parse(readFileSync(new URL('../sources/launchdarkly/fixtures/toggled-on.json', import.meta.url), 'utf8')) as { body: unknown }).body,
);

/** LaunchDarkly's signature, written out: lowercase hex HMAC-SHA256 of the raw body, key = the secret. */
const ldSignature = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** One source's row on the page, by its id. */
const rowOf = (page: string, id: string) => new RegExp(`<tr data-source-id="${id}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';

/** The Sources page over real HTTP: the same operations as the CLI, admins only for changes, one organization at a time. */
describe.each(testDialects())('settings page: sources on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;
  let admin: Visitor;
  let csrf: string;

  // One app for the file: each test makes sources of its own and compares counts, so none depends on another.
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ dialect, slack, env: { ADMIN_TOKEN: 'operator-secret-token-long' } });
    await installWorkspace(app.url, slack, { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
    await upsertOrganization(app.deps.db, { id: 'T2', name: 'Other', enterpriseId: null });
    admin = new Visitor(app.url);
    expect((await admin.post('/settings/login', { token: 'operator-secret-token-long' })).status).toBe(303);
    expect((await admin.post('/settings/organizations/select', { _csrf: await admin.csrf(), organizationId: 'T1' })).status).toBe(303);
    csrf = await admin.csrf('/settings/sources');
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  /** "Sign in with Slack" over HTTP: start, then come back from the fake's authorize page with a code. */
  async function slackPerson(userId: string): Promise<Visitor> {
    const v = new Visitor(app.url);
    const start = await v.get('/settings/oidc/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const code = `code-${userId}-${Math.random().toString(36).slice(2)}`;
    slack.addOpenIdCode(code, { teamId: 'T1', userId });
    expect((await v.get(`/settings/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`)).status).toBe(303);
    return v;
  }

  const sourcesOf = (org = 'T1') => listSources(app.deps.db, org);

  async function createThroughPage(form: Record<string, string>): Promise<{ id: string; page: string }> {
    const res = await admin.post('/settings/sources', { _csrf: csrf, ...form });
    const page = await res.text();
    expect(res.status, page).toBe(200);
    return { id: URL_OF.exec(page)?.[1] ?? '', page };
  }

  it('is linked from the dashboard', async () => {
    const page = await (await admin.get('/settings')).text();
    expect(page).toContain('<a class="button" href="/settings/sources">Manage sources</a>');
  });

  it('creates a LaunchDarkly source: the URL, the generated secret once, the setup guide; the list shows it', async () => {
    const { id, page } = await createThroughPage({ kind: 'launchdarkly', name: 'Production flags', secret: '' });
    const url = `http://localhost:3000/api/v1/sources/${id}`;
    const secret = /<pre id="new-source-secret">([^<]+)<\/pre>/.exec(page)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await findLiveSource(app.deps.db, app.deps.box, id))?.secrets).toEqual([secret]);
    expect(page).toContain(`<pre id="new-source-url">${url}</pre>`);
    expect(page).toContain('Set it up in LaunchDarkly');
    expect(page).toContain(`<li>Give it a Name (e.g. &quot;Flag Alerts&quot;) and enter this URL: ${url}</li>`);
    expect(page).toContain('Check &quot;Sign this webhook&quot;');
    const row = rowOf(page, id);
    expect(row).toContain('<td data-label="Name">Production flags</td>');
    expect(row).toContain('<td data-label="Platform">LaunchDarkly</td>');
    expect(row).toContain(`value="${url}"`);
    expect(row).toContain('none yet');
    expect(row).toContain('0 / 0 / 0');
    // Shown on that response only: the list afterwards has the URL and never the secret.
    const later = await (await admin.get('/settings/sources')).text();
    expect(rowOf(later, id)).toContain(`value="${url}"`);
    expect(later).not.toContain(secret);
  });

  it('keeps the secret pasted from GrowthBook and never shows it back', async () => {
    const { id, page } = await createThroughPage({ kind: 'growthbook', name: '', secret: 'ewhk_pasted_from_growthbook' });
    expect(page).toContain('Secret: the one you pasted from GrowthBook, kept encrypted.');
    expect(page).not.toContain('ewhk_pasted_from_growthbook');
    expect((await findLiveSource(app.deps.db, app.deps.box, id))?.secrets).toEqual(['ewhk_pasted_from_growthbook']);
    expect(rowOf(page, id)).toContain('<td data-label="Name">GrowthBook</td>');
  });

  it('shows the last event, the counts and the last refusal with its hint once the platform has posted', async () => {
    const { id, page } = await createThroughPage({ kind: 'launchdarkly', name: 'Counted' });
    const secret = /<pre id="new-source-secret">([^<]+)<\/pre>/.exec(page)?.[1] ?? '';
    const post = (signature: string) =>
      fetch(`${app.url}/api/v1/sources/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ld-signature': signature },
        body: LD_EVENT,
      });
    const accepted = await post(ldSignature(secret, LD_EVENT));
    expect(accepted.status).toBe(202);
    const counts = (await accepted.json()) as { accepted: number; ignored: number };
    expect(counts.accepted).toBeGreaterThan(0);
    expect((await post(ldSignature('not-the-secret', LD_EVENT))).status).toBe(401);

    const [stored] = (await sourcesOf()).filter((s) => s.id === id);
    const row = rowOf(await (await admin.get('/settings/sources')).text(), id);
    expect(row).not.toContain('none yet');
    expect(row).toContain(new Date(stored?.lastEventAt ?? 0).toISOString().replace('T', ' ').slice(0, 16));
    expect(row).toContain(`${counts.accepted} / ${counts.ignored} / 1`);
    // The stored reason and LaunchDarkly's hint, as the route kept them.
    expect(stored?.lastError).toMatch(/^signature mismatch: is the secret from LaunchDarkly's webhook settings/);
    expect(row).toContain('<span class="error">signature mismatch: is the secret from LaunchDarkly&#39;s webhook settings');
  });

  it('refuses bad input with 400 naming the field and the reason, keeps what was typed, and stores nothing', async () => {
    const before = (await sourcesOf()).length;
    const cases: [Record<string, string>, string, string][] = [
      [{ kind: '', name: 'x' }, 'kind', 'Platform is required: one of launchdarkly'],
      [{ kind: 'split', name: 'x' }, 'kind', 'unknown Platform &quot;split&quot;'],
      [
        { kind: 'growthbook', name: 'Needs a secret', secret: '  ' },
        'secret',
        'Secret is required for GrowthBook: GrowthBook makes the secret; paste the one it shows.',
      ],
      [{ kind: 'flipt', name: 'n'.repeat(101) }, 'name', 'Name must be 1 to 100 characters.'],
      [{ kind: 'flipt', name: 'Long secret', secret: 's'.repeat(501) }, 'secret', 'Secret must be 1 to 500 characters.'],
    ];
    for (const [form, field, reason] of cases) {
      const res = await admin.post('/settings/sources', { _csrf: csrf, ...form });
      const page = await res.text();
      expect({ form, status: res.status }).toEqual({ form, status: 400 });
      expect(page).toContain(`<p class="error" id="error-${field}">`);
      expect(page).toContain(reason);
      expect(page).toContain(`value="${form.name ?? ''}"`);
    }
    const reshown = await (await admin.post('/settings/sources', { _csrf: csrf, kind: 'growthbook', name: 'GB' })).text();
    expect(reshown).toContain('<option value="growthbook" data-secret="platform" selected>GrowthBook</option>');
    expect(await sourcesOf()).toHaveLength(before);
  });

  it('renders a source named like markup as text', async () => {
    const { id, page } = await createThroughPage({ kind: 'flipt', name: XSS });
    for (const shown of [page, await (await admin.get('/settings/sources')).text(), await (await admin.get(`/settings/sources/${id}/delete`)).text()]) {
      expect(shown).not.toContain('<img');
      expect(shown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('rotates: a new secret shown once for LaunchDarkly, a pasted one for GrowthBook; the old one stops working', async () => {
    const ld = await createThroughPage({ kind: 'launchdarkly', name: 'Rotating' });
    const confirm = await (await admin.get(`/settings/sources/${ld.id}/rotate`)).text();
    expect(confirm).toContain(`action="/settings/sources/${ld.id}/rotate"`);
    expect(confirm).toContain('Leave it empty and a new one is made here and shown once, for you to paste into LaunchDarkly');
    const rotated = await admin.post(`/settings/sources/${ld.id}/rotate`, { _csrf: csrf, secret: '' });
    const page = await rotated.text();
    expect(rotated.status).toBe(200);
    expect(page).toContain('Secret of “Rotating” replaced');
    const secret = /<pre id="new-source-secret">([^<]+)<\/pre>/.exec(page)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await findLiveSource(app.deps.db, app.deps.box, ld.id))?.secrets).toEqual([secret]);
    // Or the one LaunchDarkly proposes, pasted: kept, and not shown back.
    const proposed = await admin.post(`/settings/sources/${ld.id}/rotate`, { _csrf: csrf, secret: 'ld-proposed-secret' });
    expect(proposed.status).toBe(200);
    expect(await proposed.text()).toContain('Secret: the one you pasted from LaunchDarkly, kept encrypted.');
    expect((await findLiveSource(app.deps.db, app.deps.box, ld.id))?.secrets).toEqual(['ld-proposed-secret']);

    const gb = await createThroughPage({ kind: 'growthbook', name: 'Pasted', secret: 'ewhk_first' });
    expect(await (await admin.get(`/settings/sources/${gb.id}/rotate`)).text()).toContain('id="source-secret"');
    const missing = await admin.post(`/settings/sources/${gb.id}/rotate`, { _csrf: csrf, secret: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain(
      '<p class="error" id="error-secret">Secret is required to rotate a GrowthBook source: make a new secret in GrowthBook and paste it here.</p>',
    );
    expect((await findLiveSource(app.deps.db, app.deps.box, gb.id))?.secrets).toEqual(['ewhk_first']);
    const pasted = await admin.post(`/settings/sources/${gb.id}/rotate`, { _csrf: csrf, secret: 'ewhk_second' });
    expect(pasted.status).toBe(200);
    expect(await pasted.text()).not.toContain('ewhk_second');
    expect((await findLiveSource(app.deps.db, app.deps.box, gb.id))?.secrets).toEqual(['ewhk_second']);
  });

  it('deletes after a confirmation page: the URL answers 404 and the list no longer has it', async () => {
    const { id } = await createThroughPage({ kind: 'flipt', name: 'Doomed' });
    const confirm = await (await admin.get(`/settings/sources/${id}/delete`)).text();
    expect(confirm).toContain('Delete “Doomed”?');
    expect(confirm).toContain(`<form method="post" action="/settings/sources/${id}/delete">`);
    const deleted = await admin.post(`/settings/sources/${id}/delete`, { _csrf: csrf });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/settings/sources?notice=source-deleted');
    const page = await (await admin.get('/settings/sources?notice=source-deleted')).text();
    expect(page).toContain('Source deleted: its URL answers 404 from now on.');
    expect(page).not.toContain(id);
    expect((await fetch(`${app.url}/api/v1/sources/${id}`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await admin.post(`/settings/sources/${id}/delete`, { _csrf: csrf })).status).toBe(404);
  });

  it('shows members and viewers the sources without controls and refuses their forged posts with 403', async () => {
    const { id } = await createThroughPage({ kind: 'launchdarkly', name: 'Watched' });
    const kept = (await findLiveSource(app.deps.db, app.deps.box, id))?.secrets;
    await setMemberRole(app.deps.db, { organizationId: 'T1', userId: 'U3', role: 'viewer', updatedBy: 'U1' });
    for (const [userId, role] of [
      ['U2', 'member'],
      ['U3', 'viewer'],
    ] as const) {
      const person = await slackPerson(userId);
      const page = await (await person.get('/settings/sources')).text();
      expect(page).toContain(`(${role})`);
      expect(rowOf(page, id)).toContain('Watched');
      for (const control of ['Create source', 'action="/settings/sources"', '/rotate', '/delete']) expect(page, `${role}: ${control}`).not.toContain(control);
      const theirCsrf = await person.csrf('/settings/sources');
      const before = (await sourcesOf()).length;
      expect((await person.post('/settings/sources', { _csrf: theirCsrf, kind: 'flipt', name: 'Sneaky' })).status).toBe(403);
      expect((await person.post(`/settings/sources/${id}/rotate`, { _csrf: theirCsrf, secret: 'theirs' })).status).toBe(403);
      expect((await person.post(`/settings/sources/${id}/delete`, { _csrf: theirCsrf })).status).toBe(403);
      expect((await person.get(`/settings/sources/${id}/rotate`)).status).toBe(403);
      expect((await person.get(`/settings/sources/${id}/delete`)).status).toBe(403);
      expect(await sourcesOf()).toHaveLength(before);
    }
    expect((await findLiveSource(app.deps.db, app.deps.box, id))?.secrets).toEqual(kept);
  });

  it('refuses a post without the CSRF token or with a wrong one, and changes nothing', async () => {
    const { id } = await createThroughPage({ kind: 'flipt', name: 'Protected' });
    const before = (await sourcesOf()).length;
    for (const token of [undefined, 'x'.repeat(43)]) {
      const form: Record<string, string> = token === undefined ? {} : { _csrf: token };
      expect((await admin.post('/settings/sources', { ...form, kind: 'flipt', name: 'Forged' })).status).toBe(403);
      expect((await admin.post(`/settings/sources/${id}/rotate`, form)).status).toBe(403);
      expect((await admin.post(`/settings/sources/${id}/delete`, form)).status).toBe(403);
    }
    expect(await sourcesOf()).toHaveLength(before);
    expect((await sourcesOf()).map((s) => s.id)).toContain(id);
  });

  it('keeps organizations apart: another organization’s source is not listed and cannot be rotated or deleted', async () => {
    const theirs = await createSource(app.deps.db, app.deps.box, { organizationId: 'T2', kind: 'flipt', name: 'Other team source', secret: 'their-secret' }, 1);
    expect(await (await admin.get('/settings/sources')).text()).not.toContain(theirs.id);
    expect((await admin.get(`/settings/sources/${theirs.id}/rotate`)).status).toBe(404);
    expect((await admin.get(`/settings/sources/${theirs.id}/delete`)).status).toBe(404);
    expect((await admin.post(`/settings/sources/${theirs.id}/rotate`, { _csrf: csrf, secret: 'mine-now' })).status).toBe(404);
    expect((await admin.post(`/settings/sources/${theirs.id}/delete`, { _csrf: csrf })).status).toBe(404);
    expect((await findLiveSource(app.deps.db, app.deps.box, theirs.id))?.secrets).toEqual(['their-secret']);
  });
});
