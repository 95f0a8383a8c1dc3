import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueNotifications, type NewNotification } from '../../src/experiments/notifications.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { claimLeased, nextLeasedDueAt } from '../../src/storage/leased-claim.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const LEASE = 60_000;

const notification = (n: number, dueAt: number): NewNotification => ({
  organizationId: 'T1',
  experimentId: 'exp-1',
  kind: 'srm',
  recipient: `p${n}@example.com`,
  channel: 'email',
  payload: {},
  dedupeKey: `srm:${n}`,
  dueAt,
});

// The claim both outboxes use, exercised on experiment notifications (the flag deliveries' claim is
// exercised by test/delivery: crash recovery, two instances).
describe.each(testDialects())('claimLeased on %s', (dialect) => {
  let handle: DatabaseHandle;

  beforeEach(async () => {
    const database = await createTestDatabase(dialect);
    handle = database.open();
    await upsertOrganization(handle.db, { id: 'T1', name: 'Acme', enterpriseId: null });
  });
  afterEach(async () => {
    await handle.close();
  });

  const claim = (now: number, workerId: string, limit = 10) =>
    claimLeased(handle.db, dialect, 'experiment_notifications', { now, limit, leaseMs: LEASE, workerId });

  it('claims due pending rows only, oldest due first, under a lease; a leased row is not claimed again', async () => {
    await enqueueNotifications(handle.db, [notification(1, T0 - 1), notification(2, T0 - 2), notification(3, T0 + 1)], T0 - 10);
    // The limit takes the oldest due first (the rows come back in no particular order).
    const first = await claim(T0, 'w1', 1);
    expect(first.map((r) => [r.recipient, r.status, r.leased_by, Number(r.lease_until)])).toEqual([['p2@example.com', 'in_flight', 'w1', T0 + LEASE]]);
    const rest = await claim(T0, 'w1');
    expect(rest.map((r) => r.recipient)).toEqual(['p1@example.com']);
    expect(await claim(T0, 'w2')).toEqual([]);
    expect(await nextLeasedDueAt(handle.db, 'experiment_notifications')).toBe(T0 + 1);
  });

  it('takes over a lease that ran out (its worker died), not one that still holds', async () => {
    await enqueueNotifications(handle.db, [notification(1, T0)], T0);
    expect(await claim(T0, 'dead')).toHaveLength(1);
    expect(await nextLeasedDueAt(handle.db, 'experiment_notifications')).toBe(T0 + LEASE);
    expect(await claim(T0 + LEASE - 1, 'w2')).toEqual([]);
    const taken = await claim(T0 + LEASE + 1, 'w2');
    expect(taken.map((r) => [r.recipient, r.leased_by])).toEqual([['p1@example.com', 'w2']]);
  });

  it('gives each row to one claimer when many claim at once', async () => {
    await enqueueNotifications(
      handle.db,
      Array.from({ length: 120 }, (_, i) => notification(i, T0 - i)),
      T0 - 200,
    );
    const seen: number[] = [];
    // Rounds of concurrent claims until nothing is left: on PostgreSQL they run on separate connections.
    for (let round = 0; round < 20; round += 1) {
      const batches = await Promise.all(Array.from({ length: 6 }, (_, w) => claim(T0, `w${w}`, 15)));
      const ids = batches.flat().map((r) => Number(r.id));
      if (ids.length === 0) break;
      seen.push(...ids);
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(await nextLeasedDueAt(handle.db, 'experiment_notifications')).toBe(T0 + LEASE);
  });

  it('answers undefined for the next due time of an empty outbox', async () => {
    expect(await nextLeasedDueAt(handle.db, 'experiment_notifications')).toBeUndefined();
    expect(await nextLeasedDueAt(handle.db, 'deliveries')).toBeUndefined();
  });
});
