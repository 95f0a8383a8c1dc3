import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDS_PER_PERSON } from '../../src/alerts/operations/send-limit.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { webhookAlert } from '../helpers/delivery-fixtures.js';
import { freePort } from '../helpers/free-port.js';
import { clickButton, startHarness, type Harness } from '../helpers/slack-harness.js';
import { createTestClock } from '../helpers/test-clock.js';

/** Issue 17's flood: one member clicks "Send test" on the Home tab 2,000 times as fast as Slack delivers the clicks. */
describe('the 2,000-click "Send test" flood', () => {
  let h: Harness;
  const clock = createTestClock();

  let dispatcher: Dispatcher;
  beforeAll(async () => {
    // A new connection per click: 2,000 clicks on reused keep-alive connections meet the race where the server
    // closes an idle one just as the client sends on it (a reset that has nothing to do with the flood).
    dispatcher = getGlobalDispatcher();
    setGlobalDispatcher(new Agent({ pipelining: 0 }));
    h = await startHarness('sqlite', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, clock.now);
  });
  afterAll(async () => {
    await h?.stop();
    setGlobalDispatcher(dispatcher);
  });

  it('queues one test, tells the next few it is on its way and the rest to wait', async () => {
    // Nothing listens there: the one test stays pending, as a slow receiver would keep it.
    const alert = await webhookAlert(h.app, `http://127.0.0.1:${await freePort()}/hook`);
    const opened = h.slack.callsOf('views.open').length;
    const clicks = 2000;
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < clicks) {
          next += 1;
          statuses.push(await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: ACTION.alertTest, value: String(alert.id) }));
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(clicks);
    const tests = await h.app.deps.db.selectFrom('deliveries').select('id').where('alert_id', '=', alert.id).where('kind', '=', 'test').execute();
    expect(tests).toHaveLength(1);

    await expect.poll(() => h.slack.callsOf('views.open').length - opened, { timeout: 10_000 }).toBe(clicks);
    const texts = h.slack
      .callsOf('views.open')
      .slice(opened)
      .map((c) => JSON.stringify(c.args.view));
    expect(texts.filter((t) => t.includes('Sending a test notification'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('already on its way'))).toHaveLength(SENDS_PER_PERSON - 1);
    expect(texts.filter((t) => t.includes('many tests just now'))).toHaveLength(clicks - SENDS_PER_PERSON);
  }, 600_000);
});
