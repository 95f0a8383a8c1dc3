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
    // Node's default metrics under the names stock Node dashboards query, not under the product prefix.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_total_bytes \d/m);
    expect(text).not.toMatch(/^flag_alerts_(process|nodejs)_/m);
  });

  it('with METRICS_TOKEN set, answers only to that bearer token', async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: 'metrics-secret-1' } });
    const scrape = (authorization?: string) => fetch(`${app?.url}/metrics`, authorization ? { headers: { authorization } } : {});
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.text()).not.toContain('flag_alerts_');
    for (const wrong of ['Bearer metrics-secret-2', 'Bearer metrics-secret-1x', 'Bearer metrics-secret', 'metrics-secret-1', 'Basic metrics-secret-1']) {
      const res = await scrape(wrong);
      expect(res.status, wrong).toBe(401);
      expect(await res.text()).not.toContain('flag_alerts_');
    }
    const right = await scrape('Bearer metrics-secret-1');
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('# TYPE flag_alerts_outbox_backlog gauge');
  });
});
