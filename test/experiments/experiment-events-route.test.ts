import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findExperiment, reminderOffsets, setReminderOffsets, setSrmThreshold, srmThreshold } from '../../src/experiments/experiments.repository.js';
import { listNotifications } from '../../src/experiments/notifications.repository.js';
import { savePreference } from '../../src/experiments/preferences.repository.js';
import { orgWithKey } from '../helpers/ingest-helpers.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { pOfSplit as pOf, splitAtP } from '../helpers/srm-splits.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const scheduled = (overrides: Record<string, unknown> = {}) => ({
  type: 'experiment.scheduled',
  experimentId: 'exp-1',
  key: 'checkout-button',
  name: 'Checkout button colour',
  projectId: 311,
  startAt: iso(T0 + 48 * HOUR),
  endAt: iso(T0 + 10 * 24 * HOUR),
  owners: ['U0OWNER1', 'owner@example.com'],
  subscribers: [],
  ...overrides,
});

const exposures = (a: number, b: number, eventId?: string) => ({
  type: 'experiment.exposures',
  experimentId: 'exp-1',
  ...(eventId ? { eventId } : {}),
  variants: [
    { variant: 'control', exposures: a, allocation: 50 },
    { variant: 'treatment', exposures: b, allocation: 50 },
  ],
});

describe.each(testDialects())('POST /api/v1/experiment-events on %s', (dialect) => {
  let app: TestApp;
  let key: string;
  let clock: number;

  beforeEach(async () => {
    clock = T0;
    // What ingest plans is checked here, so no worker sends it meanwhile (notification-worker.test.ts sends).
    app = await startTestApp({ dialect, now: () => clock, experimentWorker: false });
    key = await orgWithKey(app.deps.db, 'T1');
  });
  afterEach(async () => {
    await app.stop();
  });

  const post = (body: unknown, withKey: string | null = key, contentType = 'application/json') =>
    fetch(`${app.url}/api/v1/experiment-events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(withKey ? { authorization: `Bearer ${withKey}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const reminders = async () => (await listNotifications(app.deps.db, 'T1', 'exp-1')).filter((n) => n.status === 'pending');

  it('refuses without a valid key (401), without JSON (415), and invalid events (400 with paths), storing nothing', async () => {
    expect((await post(scheduled(), null)).status).toBe(401);
    expect((await post(scheduled(), 'fa_ingest_nope')).status).toBe(401);
    expect((await post('x', key, 'text/plain')).status).toBe(415);
    const notJson = await post('{');
    expect(notJson.status).toBe(400);

    const bad = await post({ events: [scheduled(), scheduled({ owners: ['not a person'], endAt: iso(T0) })] });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['events.1.owners.0']));
    const unknownType = await post({ type: 'experiment.exploded', experimentId: 'e' });
    expect(unknownType.status).toBe(400);
    const noStat = await post({ type: 'experiment.metric_result', experimentId: 'exp-1', metric: 'm', isRecommendationMetric: true });
    expect(((await noStat.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('pValue');

    // All-or-nothing: the valid first event of the refused batch was not stored either.
    expect(await findExperiment(app.deps.db, 'T1', 'exp-1')).toBeUndefined();
    expect(await app.deps.db.selectFrom('experiment_events').selectAll().execute()).toEqual([]);
  });

  it('schedules reminders 24 h and 1 h before start and end, one per person and channel', async () => {
    const res = await post(scheduled());
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    const due = await reminders();
    const start = T0 + 48 * HOUR;
    const end = T0 + 240 * HOUR;
    expect(due.map((n) => [n.kind, n.dueAt, n.recipient, n.channel])).toEqual([
      ['starts_soon', start - 24 * HOUR, 'U0OWNER1', 'slack'],
      ['starts_soon', start - 24 * HOUR, 'owner@example.com', 'email'],
      ['starts_soon', start - HOUR, 'U0OWNER1', 'slack'],
      ['starts_soon', start - HOUR, 'owner@example.com', 'email'],
      ['ends_soon', end - 24 * HOUR, 'U0OWNER1', 'slack'],
      ['ends_soon', end - 24 * HOUR, 'owner@example.com', 'email'],
      ['ends_soon', end - HOUR, 'U0OWNER1', 'slack'],
      ['ends_soon', end - HOUR, 'owner@example.com', 'email'],
    ]);
  });

  it('a later schedule moves the reminders; reminders already in the past are not created', async () => {
    await post(scheduled());
    // Starts in 12 hours now: the 24 h reminder would be in the past.
    const res = await post(scheduled({ startAt: iso(T0 + 12 * HOUR), endAt: iso(T0 + 36 * HOUR), owners: ['U0OWNER1'] }));
    expect(res.status).toBe(202);
    const due = await reminders();
    expect(due.map((n) => [n.kind, n.dueAt])).toEqual([
      ['starts_soon', T0 + 11 * HOUR],
      ['ends_soon', T0 + 12 * HOUR],
      ['ends_soon', T0 + 35 * HOUR],
    ]);
    const all = await listNotifications(app.deps.db, 'T1', 'exp-1');
    expect(all.filter((n) => n.status === 'cancelled')).toHaveLength(8);

    // Moving back revives the cancelled rows instead of colliding with them.
    await post(scheduled());
    expect(await reminders()).toHaveLength(8);
  });

  it('uses the organization’s reminder offsets', async () => {
    await setReminderOffsets(app.deps.db, 'T1', [2 * HOUR], clock);
    await post(scheduled({ owners: ['U0OWNER1'] }));
    expect((await reminders()).map((n) => n.dueAt)).toEqual([T0 + 46 * HOUR, T0 + 238 * HOUR]);
  });

  it('acknowledges a repeated eventId as a duplicate and changes nothing', async () => {
    await post(scheduled({ eventId: 'ev-1' }));
    const again = await post({ events: [scheduled({ eventId: 'ev-1', startAt: iso(T0 + 72 * HOUR) }), scheduled({ eventId: 'ev-1' })] });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 2 });
    expect((await findExperiment(app.deps.db, 'T1', 'exp-1'))?.startAt).toBe(T0 + 48 * HOUR);
  });

  it('SRM notifies once when it first fails and again only after a recovery', async () => {
    await post(scheduled({ owners: ['U0OWNER1'] }));
    const srm = async () => (await listNotifications(app.deps.db, 'T1', 'exp-1')).filter((n) => n.kind === 'srm');
    await post(exposures(5010, 4990));
    expect(await srm()).toHaveLength(0);
    clock += 1000;
    await post(exposures(5200, 4800));
    expect(await srm()).toHaveLength(1);
    clock += 1000;
    await post(exposures(5400, 4600));
    expect(await srm()).toHaveLength(1);
    expect((await findExperiment(app.deps.db, 'T1', 'exp-1'))?.srmFailing).toBe(true);
    clock += 1000;
    await post(exposures(10_000, 10_000));
    expect((await findExperiment(app.deps.db, 'T1', 'exp-1'))?.srmFailing).toBe(false);
    clock += 1000;
    await post(exposures(10_400, 9_600));
    const rows = await srm();
    expect(rows.map((n) => [n.recipient, n.dueAt, n.status])).toEqual([
      ['U0OWNER1', T0 + 1000, 'pending'],
      ['U0OWNER1', T0 + 4000, 'pending'],
    ]);
  });

  it('tests SRM against the organization’s threshold: p ≈ 0.0005 warns at the default 0.001, not at 0.0001', async () => {
    const [control, treatment] = splitAtP(0.0005);
    const p = pOf(control, treatment);
    expect(p).toBeGreaterThan(0.0004);
    expect(p).toBeLessThan(0.001);
    const [strongControl, strongTreatment] = splitAtP(0.00005);
    expect(pOf(strongControl, strongTreatment)).toBeLessThan(0.0001);

    const strictKey = await orgWithKey(app.deps.db, 'T2');
    await setSrmThreshold(app.deps.db, 'T2', 0.0001, clock);
    expect(await srmThreshold(app.deps.db, 'T2')).toBe(0.0001);
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.001);
    const srmOf = async (org: string) => (await listNotifications(app.deps.db, org, 'exp-1')).filter((n) => n.kind === 'srm');

    // The same schedule and exposures in both organizations, one batch each.
    for (const k of [key, strictKey]) {
      const res = await post({ events: [scheduled({ owners: ['U0OWNER1'] }), exposures(5000, 5000), exposures(control, treatment)] }, k);
      expect(await res.json()).toEqual({ accepted: 3, duplicates: 0 });
    }
    expect((await srmOf('T1')).map((n) => n.recipient)).toEqual(['U0OWNER1']);
    expect((await findExperiment(app.deps.db, 'T1', 'exp-1'))?.srmFailing).toBe(true);
    expect(await srmOf('T2')).toEqual([]);
    expect((await findExperiment(app.deps.db, 'T2', 'exp-1'))?.srmFailing).toBe(false);

    // Below the stricter threshold it warns there too.
    clock += 1000;
    await post(exposures(strongControl, strongTreatment), strictKey);
    expect((await srmOf('T2')).map((n) => n.recipient)).toEqual(['U0OWNER1']);
  });

  it('stores the SRM threshold and the reminder offsets side by side: setting one keeps the other', async () => {
    await orgWithKey(app.deps.db, 'T2');
    await setSrmThreshold(app.deps.db, 'T1', 0.0002, clock);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([24 * HOUR, HOUR]);
    await setReminderOffsets(app.deps.db, 'T1', [3 * HOUR], clock);
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.0002);
    await setSrmThreshold(app.deps.db, 'T1', 0.05, clock);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([3 * HOUR]);
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.05);
    // Offsets set first: the threshold row starts at the default.
    await setReminderOffsets(app.deps.db, 'T2', [5 * HOUR], clock);
    expect(await srmThreshold(app.deps.db, 'T2')).toBe(0.001);
  });

  it('significance of the recommendation metric notifies the first time only', async () => {
    await post(scheduled({ owners: ['U0OWNER1'] }));
    const metric = (p: number, rec = true) => ({
      type: 'experiment.metric_result',
      experimentId: 'exp-1',
      metric: 'conversion',
      isRecommendationMetric: rec,
      pValue: p,
      lift: 0.03,
    });
    const sig = async () => (await listNotifications(app.deps.db, 'T1', 'exp-1')).filter((n) => n.kind === 'significance');
    await post(metric(0.2));
    await post(metric(0.001, false));
    expect(await sig()).toHaveLength(0);
    await post(metric(0.01));
    await post({
      type: 'experiment.metric_result',
      experimentId: 'exp-1',
      metric: 'conversion',
      isRecommendationMetric: true,
      confidenceInterval: { lower: 0.01, upper: 0.05 },
    });
    expect(await sig()).toHaveLength(1);
  });

  it('honours preferences: a person who opted out of a kind gets none; channel follows their choice', async () => {
    await savePreference(app.deps.db, 'T1', 'U0OWNER1', { kinds: ['ends_soon'], channel: 'slack' }, clock);
    await orgWithKey(app.deps.db, 'T2');
    await savePreference(app.deps.db, 'T2', 'owner@example.com', { kinds: [], channel: 'email' }, clock);
    await post(scheduled());
    const due = await reminders();
    expect(due.filter((n) => n.recipient === 'U0OWNER1').map((n) => n.kind)).toEqual(['ends_soon', 'ends_soon']);
    // Another organization's preference does not apply here.
    expect(due.filter((n) => n.recipient === 'owner@example.com')).toHaveLength(4);
  });

  it('keeps tenants apart: another organization’s key does not see or move this experiment', async () => {
    const otherKey = await orgWithKey(app.deps.db, 'T2');
    await post(scheduled());
    await post(scheduled({ startAt: iso(T0 + 5 * HOUR), endAt: iso(T0 + 6 * HOUR) }), otherKey);
    expect((await findExperiment(app.deps.db, 'T1', 'exp-1'))?.startAt).toBe(T0 + 48 * HOUR);
    expect(await reminders()).toHaveLength(8);
    expect((await findExperiment(app.deps.db, 'T2', 'exp-1'))?.startAt).toBe(T0 + 5 * HOUR);
  });
});
