import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelivery } from '../../src/delivery/deliveries.repository.js';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(testDialects())('retention (RETENTION_DAYS) on %s', (dialect) => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let clock: number;
  let key: string;

  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 10);
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ dialect, now: () => clock, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', RETENTION_DAYS: '30' } });
    key = await organizationWithKey(app);
    await webhookAlert(app, receiver.url);
  });
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  const eventIds = async () => (await app.deps.db.selectFrom('flag_events').select('id').orderBy('id').execute()).map((r) => Number(r.id));
  const setStatus = (id: number, status: string, next = clock) =>
    app.deps.db.updateTable('deliveries').set({ status, next_attempt_at: next }).where('id', '=', id).execute();

  it('deletes sent and dead deliveries and the events no delivery points at, past the retention; keeps the rest', async () => {
    for (const flag of ['sent', 'dead', 'retried', 'waiting']) expect((await postEvents(app, key, change(flag))).status).toBe(202);
    await receiver.waitFor(4);
    await app.deliveriesSettled();
    const [sent, dead, retried, waiting] = await deliveryRows(app);
    expect(sent?.status).toBe('delivered');
    await setStatus(Number(dead?.id), 'dead');
    await setStatus(Number(retried?.id), 'dead');
    // Still to be sent, later than the retention: it and its event stay whatever their age.
    await setStatus(Number(waiting?.id), 'pending', clock + 365 * DAY_MS);
    const oldEvents = await eventIds();

    clock += 31 * DAY_MS;
    expect(await retryDelivery(app.deps, 'T1', Number(retried?.id))).toBe(true);
    expect((await postEvents(app, key, change('new'))).status).toBe(202);
    await receiver.waitFor(6);
    await app.deliveriesSettled();

    expect(await app.retention.pass()).toEqual({ deliveries: 2, events: 2 });
    const left = await deliveryRows(app);
    expect(left.map((d) => Number(d.id)).sort()).toEqual([Number(retried?.id), Number(waiting?.id), Math.max(...left.map((d) => Number(d.id)))].sort());
    expect(left.find((d) => Number(d.id) === Number(waiting?.id))?.status).toBe('pending');
    // The events of the sent and dead deliveries went; the retried, the waiting and the new one stay.
    expect(await eventIds()).toEqual([...oldEvents.slice(2), Math.max(...(await eventIds()))]);
    // The catalog keeps what it learnt from the deleted events.
    const projects = await app.deps.db.selectFrom('catalog_projects').select('project_id').where('organization_id', '=', 'T1').execute();
    expect(projects).toHaveLength(1);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/flag_alerts_retention_pruned_rows_total\{table="deliveries"\} 2\n/);

    expect(await app.retention.pass()).toEqual({ deliveries: 0, events: 0 });
  });

  it('keeps everything younger than the retention', async () => {
    expect((await postEvents(app, key, { events: [change(), change()] })).status).toBe(202);
    await receiver.waitFor(2);
    await app.deliveriesSettled();
    clock += 29 * DAY_MS;
    expect(await app.retention.pass()).toEqual({ deliveries: 0, events: 0 });
    expect(await deliveryRows(app)).toHaveLength(2);
    expect(await eventIds()).toHaveLength(2);
  });
});
