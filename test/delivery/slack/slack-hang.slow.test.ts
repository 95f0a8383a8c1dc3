import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, organizationWithKey, postEvents, slackAlert } from '../../helpers/delivery-fixtures.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { installWorkspace } from '../../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { until } from '../../helpers/reliability-helpers.js';

// Slow suite: the Slack client's 10 s timeout is real time, so this case waits it out.
describe('a Slack call that hangs', () => {
  let slack: FakeSlack;
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ slack });
    expect((await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' })).status).toBe(302);
    key = await organizationWithKey(app);
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it('gives up on a Slack call that hangs past the 10 s timeout and retries it', { timeout: 45_000 }, async () => {
    const alert = await slackAlert(app, 'CHANG');
    slack.failNext('chat.postMessage', { hangMs: 15_000 });
    await postEvents(app, key, change('slack-hang'));
    const rows = () => app.deps.db.selectFrom('deliveries').selectAll().where('alert_id', '=', alert.id).orderBy('id').execute();
    await until('delivered', async () => (await rows())[0]?.status === 'delivered', 30_000);
    const [first, second] = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CHANG');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(10_000);
  });
});
