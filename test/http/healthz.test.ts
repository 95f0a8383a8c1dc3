import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('health and start without Slack', () => {
  let app: TestApp | undefined;
  afterEach(async () => app?.stop());

  it('serves /healthz and says how to turn Slack on', async () => {
    app = await startTestApp({});
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(app.deps.slack).toBeUndefined();
    expect(app.logs()).toContain('Slack is off: set SLACK_CLIENT_ID');
    expect((await fetch(`${app.url}/slack/install`, { redirect: 'manual' })).status).toBe(404);
  });

  it('answers 503 when the database does not answer', async () => {
    app = await startTestApp({});
    await app.deps.db.destroy();
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    app = undefined;
  });
});

describe('metrics', () => {
  let app: TestApp | undefined;
  afterEach(async () => app?.stop());

  it('serves Prometheus text with the product metrics', async () => {
    app = await startTestApp({});
    app.deps.metrics.eventsIngested.inc({ organization: 'T1' }, 3);
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('flag_alerts_events_ingested_total{organization="T1"} 3');
    expect(text).toContain('# TYPE flag_alerts_outbox_backlog gauge');
  });
});
