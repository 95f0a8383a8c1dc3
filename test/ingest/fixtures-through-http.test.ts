import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { flagChangeFixtures, type FlagChangeFixture } from '../helpers/flag-change-fixtures.js';
import { addAlert, orgWithKey, postEvents, startReceiver } from '../helpers/ingest-helpers.js';

function names(flag: FlagChangeFixture['event']['flag']): { deployments: number[]; tags: string[] } {
  return {
    deployments: (flag?.deployments ?? []).map((d) => (typeof d === 'number' ? d : d.id)),
    tags: flag?.tags ?? [],
  };
}

describe.each(testDialects())('every fixture through POST /api/v1/flag-events on %s', (dialect) => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let key: string;
  let alerts: { project: Alert; production: Alert; risky: Alert; otherProject: Alert };

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    const { db, box } = app.deps;
    key = await orgWithKey(db, 'T1');
    const url = receiver.url;
    alerts = {
      project: await addAlert(db, box, 'T1', { name: 'all of 311', projectId: 311, scope: { type: 'project' }, url }),
      production: await addAlert(db, box, 'T1', {
        name: 'production',
        projectId: 311,
        scope: { type: 'deployment', deploymentId: 71, deploymentLabel: 'production' },
        url,
      }),
      risky: await addAlert(db, box, 'T1', { name: 'risky', projectId: 311, scope: { type: 'tag', tags: ['risky'] }, url }),
      otherProject: await addAlert(db, box, 'T1', { name: 'all of 312', projectId: 312, scope: { type: 'project' }, url }),
    };
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
  });

  it.each(flagChangeFixtures.map((c) => [c.name, c] as const))('%s', async (_name, fixture) => {
    const res = await postEvents(app.url, key, fixture.event);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });

    const event = await app.deps.db
      .selectFrom('flag_events')
      .select(['id', 'payload'])
      .where('event_key', '=', fixture.event.eventId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload)).toEqual(fixture.event);
    const delivered = await app.deps.db.selectFrom('deliveries').selectAll().where('flag_event_id', '=', event.id).execute();
    const to = new Set(delivered.map((d) => d.alert_id));

    const before = names(fixture.event.oldFlag);
    const after = names(fixture.event.flag);
    const inProduction = [...before.deployments, ...after.deployments].includes(71);
    const tagged = [...before.tags, ...after.tags].includes('risky');
    expect({
      project: to.has(alerts.project.id),
      production: to.has(alerts.production.id),
      risky: to.has(alerts.risky.id),
      otherProject: to.has(alerts.otherProject.id),
    }).toEqual({
      project: fixture.notifies,
      production: fixture.notifies && inProduction,
      risky: fixture.notifies && tagged,
      otherProject: false,
    });
    for (const d of delivered) {
      // status and attempts are the outbox worker's from here on; the initial ones are checked in change-delivery.test.ts
      expect(d).toMatchObject({ organization_id: 'T1', kind: 'change', destination_type: 'webhook', channel_id: null, payload: null });
      expect(d.message_id).toMatch(/^msg_\w{16,}$/);
    }
    expect(new Set(delivered.map((d) => d.message_id)).size).toBe(delivered.length);
  });

  it('covered a case for each alert (the table is not vacuous)', async () => {
    const rows = await app.deps.db.selectFrom('deliveries').select('alert_id').execute();
    const ids = new Set(rows.map((r) => r.alert_id));
    expect([alerts.project.id, alerts.production.id, alerts.risky.id].every((id) => ids.has(id))).toBe(true);
  });
});
