import { deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertScope } from '../../src/alerts/alert.js';
import { listDeployments, listProjects, listTags } from '../../src/catalog/catalog.repository.js';
import { createIngestKey, revokeIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { addAlert, change, count, orgWithKey, postEvents, startReceiver } from '../helpers/ingest-helpers.js';

describe.each(testDialects())('POST /api/v1/flag-events on %s', (dialect) => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let key: string;
  let wakes: number;

  beforeEach(async () => {
    // Webhook alerts to a real receiver that says yes: whatever a delivery worker does, the alerts stay healthy.
    receiver = await startReceiver();
    wakes = 0;
    app = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, outbox: { wake: () => void (wakes += 1) } });
    key = await orgWithKey(app.deps.db, 'T1');
  });
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  const alertOn = (projectId: number, scope: AlertScope, extra: { status?: 'paused'; org?: string } = {}) =>
    addAlert(app.deps.db, app.deps.box, extra.org ?? 'T1', {
      name: `${scope.type} of ${projectId}`,
      projectId,
      scope,
      url: receiver.url,
      ...(extra.status ? { status: extra.status } : {}),
    });
  const projectAlert = (projectId = 311, extra: { status?: 'paused'; org?: string } = {}) => alertOn(projectId, { type: 'project' }, extra);

  it('accepts a batch, queues one delivery per matching alert, wakes the outbox and counts the events', async () => {
    const alert = await projectAlert();
    const res = await postEvents(app.url, key, { events: [change(311), change(311), change(999)] });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, duplicates: 0 });
    const deliveries = await app.deps.db.selectFrom('deliveries').selectAll().execute();
    expect(deliveries.map((d) => d.alert_id)).toEqual([alert.id, alert.id]);
    expect(deliveries.every((d) => d.next_attempt_at > 0 && d.flag_event_id !== null)).toBe(true);
    expect(await count(app.deps.db, 'flag_events')).toBe(3);
    expect(wakes).toBe(1);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/flag_alerts_events_ingested_total\{organization="T1"\} 3/);
  });

  it('acknowledges a repeated eventId as a duplicate and delivers it once, across requests and within a batch', async () => {
    await projectAlert();
    const first = await postEvents(app.url, key, change(311, { eventId: 'e-1' }));
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const again = await postEvents(app.url, key, {
      events: [change(311, { eventId: 'e-1' }), change(311, { eventId: 'e-2' }), change(311, { eventId: 'e-2' })],
    });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 2 });
    expect(await count(app.deps.db, 'flag_events')).toBe(2);
    expect(await count(app.deps.db, 'deliveries')).toBe(2);
  });

  it('stores each eventId once when concurrent requests repeat them in different orders', async () => {
    // Rotated and reversed orders make concurrent commits (PostgreSQL) meet the same keys and catalog rows
    // in different orders: no request may fail, and every event is stored exactly once.
    const ids = Array.from({ length: 12 }, (_, i) => i);
    const event = (i: number) =>
      change(300 + (i % 7), {
        eventId: `c-${i}`,
        flag: { id: i, key: `f${i}`, enabled: true, deployments: [{ id: 70 + (i % 5), label: `d${i % 5}` }], tags: [`t${i % 4}`, `u${i % 3}`] },
      });
    const bodies = Array.from({ length: 24 }, (_, r) => {
      const order = [...ids.slice(r % 12), ...ids.slice(0, r % 12)];
      return { events: (r % 2 ? order.reverse() : order).map(event) };
    });
    const answers = await Promise.all(bodies.map((body) => postEvents(app.url, key, body)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 202));
    const results = (await Promise.all(answers.map((a) => a.json()))) as { accepted: number; duplicates: number }[];
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(12);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(24 * 12 - 12);
    expect(await count(app.deps.db, 'flag_events')).toBe(12);
    expect(await count(app.deps.db, 'catalog_projects')).toBe(7);
    expect(await count(app.deps.db, 'catalog_tags')).toBe(24);
    expect(await count(app.deps.db, 'catalog_deployments')).toBe(12);
  });

  it('refuses a batch with one invalid event, names it, and stores nothing', async () => {
    await projectAlert();
    const bad = change(311, { flag: { id: 1, enabled: true } });
    const res = await postEvents(app.url, key, { events: [change(311), change(311), change(311), bad] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe('invalid flag event');
    expect(body.issues.map((i) => i.path)).toEqual(['events.3.flag.key']);
    for (const table of ['flag_events', 'deliveries', 'catalog_projects', 'catalog_deployments', 'catalog_tags'] as const) {
      expect(await count(app.deps.db, table)).toBe(0);
    }
    expect(wakes).toBe(0);
  });

  it.each<[string, unknown, string[]]>([
    ['a missing projectId', { action: 'created', modifiedBy: 'a', flag: { id: 1, key: 'k' } }, ['projectId']],
    ['a fractional projectId', change(1.5), ['projectId']],
    ['an unknown action', change(1, { action: 'renamed' }), ['action']],
    ['updated without oldFlag', change(1, { action: 'updated' }), ['oldFlag']],
    ['deleted without oldFlag', change(1, { action: 'deleted', flag: null }), ['oldFlag']],
    ['created without flag', change(1, { flag: null }), ['flag']],
    ['a flag id that is an empty string', change(1, { flag: { id: '', key: 'k' } }), ['flag.id']],
    ['a projectId that is an empty string', change(''), ['projectId']],
    ['a projectId key over 500 characters', change('p'.repeat(501)), ['projectId']],
    ['an eventId over 200 characters', change(1, { eventId: 'x'.repeat(201) }), ['eventId']],
    ['an occurredAt that is not ISO-8601', change(1, { occurredAt: 'yesterday' }), ['occurredAt']],
    ['deployments that are booleans', change(1, { flag: { id: 1, key: 'k', deployments: [true] } }), ['flag.deployments.0']],
    ['a deployment key with a NUL character', change(1, { flag: { id: 1, key: 'k', deployments: [{ id: 'pro\u0000d' }] } }), ['flag.deployments.0']],
    ['tags that are not strings', change(1, { flag: { id: 1, key: 'k', tags: [1] } }), ['flag.tags.0']],
    ['a JSON array', [change(1)], ['(body)']],
    ['a JSON null', null, ['(body)']],
    ['events that are not a list', { events: 'nope' }, ['events']],
    ['a flag that is a number', change(1, { flag: 5 }), ['flag']],
    ['an empty eventId', change(1, { eventId: '' }), ['eventId']],
    ['more than 500 events', { events: Array.from({ length: 501 }, () => change(1)) }, ['events']],
  ])('answers 400 naming the field for %s', async (_label, body, paths) => {
    const res = await postEvents(app.url, key, body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { issues: { path: string; message: string }[] };
    expect(answer.issues.map((i) => i.path)).toEqual(paths);
    expect(answer.issues.every((i) => i.message.length > 0)).toBe(true);
    expect(await count(app.deps.db, 'flag_events')).toBe(0);
  });

  it.each<[string, string | Uint8Array]>([
    ['invalid JSON', '{"projectId": 1,'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['an empty body', ''],
  ])('answers 400 for %s', async (_label, body) => {
    const res = await postEvents(app.url, key, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/JSON|UTF-8|empty/);
  });

  it('accepts an event with deployments as plain ids, an offset occurredAt and nulls for optional fields', async () => {
    const res = await postEvents(
      app.url,
      key,
      change(5, { occurredAt: '2026-11-20T10:15:00+01:00', projectName: null, eventId: null, flag: { id: 1, key: 'k', deployments: [7, 8], name: null } }),
    );
    expect(res.status).toBe(202);
  });

  it('keeps unknown fields in the stored payload', async () => {
    const event = change(311, {
      eventId: 'keep',
      source: { system: 'amplitude', region: 'eu' },
      flag: { id: 1, key: 'k', enabled: true, owner: { team: 'growth' }, rules: [{ when: 'x' }] },
    });
    expect((await postEvents(app.url, key, event)).status).toBe(202);
    const row = await app.deps.db.selectFrom('flag_events').select('payload').executeTakeFirstOrThrow();
    expect(JSON.parse(row.payload)).toEqual(event);
  });

  it.each<[string, (k: string) => Record<string, string>]>([
    ['no Authorization header', () => ({})],
    ['a key that does not exist', () => ({ authorization: `Bearer fa_${'A'.repeat(43)}` })],
    ['a malformed key', () => ({ authorization: 'Bearer nope' })],
    ['a Basic scheme', (k) => ({ authorization: `Basic ${k}` })],
  ])('answers 401 for %s', async (_label, headers) => {
    const res = await fetch(`${app.url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers(key) },
      body: JSON.stringify(change(1)),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/ingest key/);
    expect(await count(app.deps.db, 'flag_events')).toBe(0);
  });

  it('answers 401 once the key is revoked', async () => {
    const { id, key: second } = await createIngestKey(app.deps.db, { organizationId: 'T1', name: 'second', createdBy: null });
    expect((await postEvents(app.url, second, change(1))).status).toBe(202);
    await revokeIngestKey(app.deps.db, app.deps.ingestKeys, 'T1', id);
    expect((await postEvents(app.url, second, change(1))).status).toBe(401);
    expect((await postEvents(app.url, key, change(1))).status).toBe(202);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['']])('answers 415 for content-type "%s"', async (type) => {
    const res = await postEvents(app.url, key, JSON.stringify(change(1)), { 'content-type': type });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toMatch(/application\/json/);
  });

  it('accepts application/json with a charset', async () => {
    const res = await postEvents(app.url, key, change(1), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(202);
  });

  it('accepts gzip and deflate bodies, refuses a corrupt one with 400 and an unknown encoding with 415', async () => {
    expect((await postEvents(app.url, key, gzipSync(JSON.stringify(change(1))), { 'content-encoding': 'gzip' })).status).toBe(202);
    expect((await postEvents(app.url, key, deflateSync(JSON.stringify(change(2))), { 'content-encoding': 'deflate' })).status).toBe(202);
    const corrupt = await postEvents(app.url, key, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(((await corrupt.json()) as { error: string }).error).toMatch(/gzip/);
    const unknown = await postEvents(app.url, key, JSON.stringify(change(3)), { 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/Content-Encoding "compress"/);
    expect(await count(app.deps.db, 'flag_events')).toBe(2);
  });

  it('answers 413 for a body that inflates past 1 MiB and stores nothing', async () => {
    const bomb = gzipSync(JSON.stringify(change(1, { flag: { id: 1, key: 'k', description: 'x'.repeat(2 * 1024 * 1024) } })));
    expect(bomb.length).toBeLessThan(20_000);
    const res = await postEvents(app.url, key, bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(await count(app.deps.db, 'flag_events')).toBe(0);
  });

  it('answers 413 for a body over 1 MiB and stores nothing', async () => {
    const big = change(1, { flag: { id: 1, key: 'k', description: 'x'.repeat(1024 * 1024) } });
    const res = await postEvents(app.url, key, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger/);
    expect(await count(app.deps.db, 'flag_events')).toBe(0);
    // the connection and the app are still fine
    expect((await postEvents(app.url, key, change(1))).status).toBe(202);
  });

  it("never creates deliveries for another organization's alerts on the same project id", async () => {
    const otherKey = await orgWithKey(app.deps.db, 'T2');
    const mine = await projectAlert(311);
    const theirs = await projectAlert(311, { org: 'T2' });
    expect((await postEvents(app.url, key, change(311))).status).toBe(202);
    const rows = await app.deps.db.selectFrom('deliveries').select(['alert_id', 'organization_id']).execute();
    expect(rows).toEqual([{ alert_id: mine.id, organization_id: 'T1' }]);
    expect((await postEvents(app.url, otherKey, change(311))).status).toBe(202);
    const theirRows = await app.deps.db.selectFrom('deliveries').select('alert_id').where('organization_id', '=', 'T2').execute();
    expect(theirRows).toEqual([{ alert_id: theirs.id }]);
    expect(await listProjects(app.deps.db, 'T2')).toEqual([{ projectId: 311, name: 'Project 311' }]);
    const events = await app.deps.db.selectFrom('flag_events').select('organization_id').orderBy('id').execute();
    expect(events.map((e) => e.organization_id)).toEqual(['T1', 'T2']);
  });

  it('reaches deployment-scoped alerts only through a deployment the change names', async () => {
    const { db } = app.deps;
    const all = await projectAlert(311);
    const production = await alertOn(311, { type: 'deployment', deploymentId: 71, deploymentLabel: 'production' });
    await alertOn(311, { type: 'deployment', deploymentId: 72, deploymentLabel: 'staging' });
    const risky = await alertOn(311, { type: 'tag', tags: ['risky'] });
    const noDeployments = change(311, { eventId: 'none', flag: { id: 1, key: 'k', enabled: true, tags: ['risky'] } });
    const removedFromProduction = change(311, {
      eventId: 'removed',
      action: 'updated',
      oldFlag: { id: 2, key: 'k2', enabled: true, deployments: [{ id: 71, label: 'production' }] },
      flag: { id: 2, key: 'k2', enabled: true, deployments: [] },
    });
    expect((await postEvents(app.url, key, { events: [noDeployments, removedFromProduction] })).status).toBe(202);
    const rows = await db
      .selectFrom('deliveries')
      .innerJoin('flag_events', 'flag_events.id', 'deliveries.flag_event_id')
      .select(['flag_events.event_key', 'deliveries.alert_id'])
      .orderBy('deliveries.alert_id')
      .execute();
    expect(rows.filter((r) => r.event_key === 'none').map((r) => r.alert_id)).toEqual([all.id, risky.id]);
    expect(rows.filter((r) => r.event_key === 'removed').map((r) => r.alert_id)).toEqual([all.id, production.id]);
  });

  it('accepts a full batch of 500 events', async () => {
    await projectAlert(7);
    const res = await postEvents(app.url, key, { events: Array.from({ length: 500 }, (_, i) => change(i % 2 ? 7 : 8, { eventId: `e-${i}` })) });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 500, duplicates: 0 });
    expect(await count(app.deps.db, 'deliveries')).toBe(250);
  });

  it('takes a flag naming thousands of deployments and tags (more than one statement can bind)', async () => {
    const { db } = app.deps;
    const wide = await alertOn(9, { type: 'deployment', deploymentId: 4999, deploymentLabel: null });
    const deployments = Array.from({ length: 7000 }, (_, i) => i);
    const tags = Array.from({ length: 7000 }, (_, i) => `t${i}`);
    const res = await postEvents(app.url, key, change(9, { flag: { id: 1, key: 'k', deployments, tags } }));
    expect(res.status).toBe(202);
    expect(await listDeployments(db, 'T1', 9)).toHaveLength(7000);
    expect(await listTags(db, 'T1', 9)).toHaveLength(7000);
    expect(await db.selectFrom('deliveries').select('alert_id').execute()).toEqual([{ alert_id: wide.id }]);
  });

  it("copies a Slack alert's destination and channel into its delivery", async () => {
    const alert = await addAlert(app.deps.db, app.deps.box, 'T1', { name: 'to #flags', projectId: 311, scope: { type: 'project' }, channelId: 'C0FLAGS' });
    expect((await postEvents(app.url, key, change(311))).status).toBe(202);
    const rows = await app.deps.db.selectFrom('deliveries').select(['alert_id', 'destination_type', 'channel_id']).execute();
    expect(rows).toEqual([{ alert_id: alert.id, destination_type: 'slack', channel_id: 'C0FLAGS' }]);
  });

  it('gives paused alerts nothing', async () => {
    const active = await projectAlert(311);
    await projectAlert(311, { status: 'paused' });
    await postEvents(app.url, key, change(311));
    const rows = await app.deps.db.selectFrom('deliveries').select('alert_id').execute();
    expect(rows).toEqual([{ alert_id: active.id }]);
  });

  it('fills the catalog with project names, deployment labels and tags from flag and oldFlag', async () => {
    const res = await postEvents(app.url, key, {
      events: [
        change(311, { projectName: 'Storefront', flag: { id: 1, key: 'a', deployments: [{ id: 71, label: 'production' }, 73], tags: ['payments'] } }),
        change(311, {
          projectName: null,
          action: 'updated',
          flag: { id: 2, key: 'b', enabled: true, deployments: [72], tags: ['q4'] },
          oldFlag: { id: 2, key: 'b', enabled: false, deployments: [{ id: 72, label: 'staging' }], tags: ['risky'] },
        }),
        change(400, { projectName: 'Backoffice', flag: { id: 3, key: 'c' } }),
      ],
    });
    expect(res.status).toBe(202);
    expect(await listProjects(app.deps.db, 'T1')).toEqual([
      { projectId: 311, name: 'Storefront' },
      { projectId: 400, name: 'Backoffice' },
    ]);
    expect(await listDeployments(app.deps.db, 'T1', 311)).toEqual([
      { deploymentId: 71, label: 'production' },
      { deploymentId: 72, label: 'staging' },
      { deploymentId: 73, label: null },
    ]);
    expect(await listTags(app.deps.db, 'T1', 311)).toEqual(['payments', 'q4', 'risky']);
    expect(await listDeployments(app.deps.db, 'T1', 400)).toEqual([]);

    // a later change without names keeps the known ones; a new label replaces the old one
    await postEvents(app.url, key, change(311, { projectName: undefined, flag: { id: 1, key: 'a', deployments: [71, { id: 73, label: 'canary' }] } }));
    expect(await listProjects(app.deps.db, 'T1')).toContainEqual({ projectId: 311, name: 'Storefront' });
    expect(await listDeployments(app.deps.db, 'T1', 311)).toContainEqual({ deploymentId: 71, label: 'production' });
    expect(await listDeployments(app.deps.db, 'T1', 311)).toContainEqual({ deploymentId: 73, label: 'canary' });
    expect(await listProjects(app.deps.db, 'T2')).toEqual([]);

    // another organization naming the same ids gets rows of its own; a new project name replaces the old one
    const otherKey = await orgWithKey(app.deps.db, 'T2');
    expect(
      (
        await postEvents(
          app.url,
          otherKey,
          change(311, { projectName: 'Their store', flag: { id: 1, key: 'a', deployments: [{ id: 71, label: 'prod' }], tags: ['payments'] } }),
        )
      ).status,
    ).toBe(202);
    expect(await listProjects(app.deps.db, 'T2')).toEqual([{ projectId: 311, name: 'Their store' }]);
    expect(await listDeployments(app.deps.db, 'T2', 311)).toEqual([{ deploymentId: 71, label: 'prod' }]);
    expect(await listTags(app.deps.db, 'T2', 311)).toEqual(['payments']);
    await postEvents(app.url, key, change(311, { projectName: 'Storefront EU', flag: { id: 1, key: 'a' } }));
    expect(await listProjects(app.deps.db, 'T1')).toContainEqual({ projectId: 311, name: 'Storefront EU' });
    expect(await listProjects(app.deps.db, 'T2')).toEqual([{ projectId: 311, name: 'Their store' }]);
  });
});
