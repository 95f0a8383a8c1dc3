import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEW_DETAILS_ACTION_ID } from '../../src/formatting/slack-message.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { buttonClickPayload, sendInteraction } from '../helpers/slack-requests.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, slackAlert } from '../helpers/delivery-fixtures.js';

/** A click on "View details" in a notification, as Slack posts it. */
function clickViewDetails(app: TestApp, input: { teamId: string; userId: string; value: string; responseUrl: string }): Promise<Response> {
  const payload = buttonClickPayload({ ...input, actionId: VIEW_DETAILS_ACTION_ID, container: { type: 'message', channelId: 'C1' } });
  return sendInteraction(app.url, payload, app.signing);
}

describe('View details on a notification', () => {
  let slack: FakeSlack;
  let app: TestApp;
  let responses: WebhookReceiver;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    responses = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ slack });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
    await responses.stop();
  });

  it('opens a modal with the full change for a member of the workspace', async () => {
    const key = await organizationWithKey(app, 'T1');
    await slackAlert(app, 'C1');
    await postEvents(app, key, change('details-flag'));
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
    const [row] = await deliveryRows(app);
    const res = await clickViewDetails(app, { teamId: 'T1', userId: 'U1', value: String(row?.id), responseUrl: responses.url });
    expect(res.status).toBe(200);
    const open = await slack.waitFor('views.open');
    const view = JSON.stringify(open.args.view);
    expect(view).toContain('details-flag');
    expect(view).toContain('50%');
  });

  it("refuses another workspace's change and opens nothing", async () => {
    const otherKey = await organizationWithKey(app, 'T2');
    await slackAlert(app, 'C9', 'T2', 'U9');
    await postEvents(app, otherKey, change('secret-flag'));
    await expect.poll(async () => (await deliveryRows(app)).length).toBe(1);
    const [row] = await deliveryRows(app);
    const res = await clickViewDetails(app, { teamId: 'T1', userId: 'U1', value: String(row?.id), responseUrl: responses.url });
    expect(res.status).toBe(200);
    const [answer] = await responses.waitFor(1);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', text: 'That change is no longer available.' });
    expect(slack.callsOf('views.open')).toHaveLength(0);
  });

  it('refuses someone whose role is none, and opens nothing', async () => {
    const key = await organizationWithKey(app, 'T1');
    await slackAlert(app, 'C1');
    await postEvents(app, key, change('hidden-flag'));
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
    const [row] = await deliveryRows(app);
    await setMemberRole(app.deps.db, { organizationId: 'T1', userId: 'U7', role: 'none', updatedBy: 'U1' });
    slack.addUser({ id: 'U7', teamId: 'T1' });
    await clickViewDetails(app, { teamId: 'T1', userId: 'U7', value: String(row?.id), responseUrl: responses.url });
    const [answer] = await responses.waitFor(1);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('viewer role');
    expect(slack.callsOf('views.open')).toHaveLength(0);
  });
});
