import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Visitor } from '../helpers/settings-visitor.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const TOKEN = 'operator-token-for-names-0123';
const NAMES = [
  ['an escape sequence', 'ci\u001b[2J\u001b[H'],
  ['a line break', 'two\nlines'],
  ['a tab', 'tab\there'],
  ['DEL', 'del\u007f'],
  ['a C1 control', 'csi\u009b31m'],
  ['a right-to-left override', 'rtl\u202eevil'],
  ['a line separator', 'ls\u2028sep'],
];

describe('names with control characters on the settings page', () => {
  let app: TestApp;
  let v: Visitor;
  let csrf: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { ADMIN_TOKEN: TOKEN, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    v = new Visitor(app.url);
    await v.post('/settings/login', { token: TOKEN });
    csrf = await v.csrf();
    expect((await v.post('/settings/organizations', { _csrf: csrf, name: 'Hooks' })).status).toBe(303);
  });
  afterAll(async () => app.stop());

  it.each(NAMES)('refuses a name with %s as an organization, ingest-key or alert name, storing nothing', async (_label, name) => {
    const org = await v.post('/settings/organizations', { _csrf: csrf, name });
    expect(org.status).toBe(400);
    expect(await org.text()).toContain('Organization name: use no control characters');

    const key = await v.post('/settings/ingest-keys', { _csrf: csrf, name });
    expect(key.status).toBe(400);
    expect(await key.text()).toContain('Key name: use no control characters');

    const alert = await v.post('/settings/alerts', {
      _csrf: csrf,
      projectId: '7',
      scope: 'project',
      destination: 'webhook',
      webhookUrl: 'https://127.0.0.1:9/h',
      signingKey: 'a-very-long-signing-key',
      events: 'created',
      name,
    });
    expect(alert.status).toBe(400);
    expect(await alert.text()).toContain('In the name, use no control characters');

    expect((await app.deps.db.selectFrom('organizations').select('name').execute()).map((o) => o.name)).toEqual(['Hooks']);
    expect(await app.deps.db.selectFrom('ingest_keys').selectAll().execute()).toEqual([]);
    expect(await app.deps.db.selectFrom('alerts').selectAll().execute()).toEqual([]);
  });

  it('still takes names with accents, emoji and inner spaces', async () => {
    expect((await v.post('/settings/ingest-keys', { _csrf: csrf, name: 'Déploiement 🚀 prod' })).status).toBe(200);
    expect((await app.deps.db.selectFrom('ingest_keys').select('name').execute()).map((k) => k.name)).toEqual(['Déploiement 🚀 prod']);
  });
});
