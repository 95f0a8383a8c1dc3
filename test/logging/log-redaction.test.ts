import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { command, startHarness, type Harness } from '../helpers/slack-harness.js';

describe('debug logs of an install, a Slack sign-in and a role lookup', () => {
  let h: Harness;
  let slack: FakeSlack;
  beforeAll(async () => {
    // LOG_LEVEL debug (the test app's): the WebClient logs every request body and every answer.
    h = await startHarness();
    slack = h.slack;
    await installWorkspace(h.app.url, slack, { teamId: 'T3', userId: 'U3' });
    const v = new Visitor(h.app.url);
    const start = await v.get('/settings/oidc/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    slack.addOpenIdCode('oidc-code-secret-42', { teamId: 'T1', userId: 'U1M' });
    expect((await v.get(`/settings/oidc/callback?code=oidc-code-secret-42&state=${encodeURIComponent(state)}`)).status).toBe(303);
    slack.addUser({ id: 'U1E', teamId: 'T1', name: 'erin', email: 'erin.private@example.org' });
    await command(h, 'T1', 'U1E', 'list');
  });
  afterAll(async () => h.stop());

  it('carry no OAuth code', () => {
    const logs = h.app.logs();
    // The lines are there, with the code taken out: the WebClient logged the token exchange's body.
    expect(logs).toMatch(/http request body: .*\\?"code\\?":\\?"\[redacted\]/);
    expect(logs).not.toContain('oidc-code-secret-42');
    expect(logs).not.toMatch(/code-T3-[a-z0-9]+/);
  });

  it('carry no email address', () => {
    const logs = h.app.logs();
    expect(slack.callsOf('users.info').some((c) => c.args.user === 'U1E')).toBe(true);
    expect(logs).toContain('[email]');
    expect(logs).not.toContain('erin.private@example.org');
    expect(logs).not.toMatch(/[a-z0-9]+@example\.(com|org)/);
  });

  it('keep our own objects’ code and email fields out too', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    logger.info({ code: 'abc123', user: { email: 'a@b.example' }, err: 'sent to c.d@example.net: status code: 500' }, 'mail to e@f.example');
    const line = lines.join('');
    expect(line).not.toMatch(/abc123|a@b\.example|c\.d@example\.net|e@f\.example/);
    expect(line).toContain('status code: 500');
  });
});
