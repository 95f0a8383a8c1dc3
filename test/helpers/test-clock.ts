import { nextLeasedDueAt } from '../../src/storage/leased-claim.js';
import type { TestApp } from './test-app.js';

/**
 * A clock the test moves by hand: it stands still between moves, so a retry, a Retry-After, a lease or a
 * reminder comes due only when the test says so, however slow the machine is. Pass `now` to startTestApp.
 */
export interface TestClock {
  readonly now: () => number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

export function createTestClock(start = Date.now()): TestClock {
  let at = start;
  return {
    now: () => at,
    advance(ms) {
      at += ms;
    },
  };
}

/**
 * Moves the clock forward and wakes the app's outbox worker, which then claims what came due at once
 * instead of at its next poll tick.
 */
export function advanceOutbox(app: TestApp, clock: TestClock, ms: number): void {
  clock.advance(ms);
  app.deps.outbox.wake();
}

/**
 * When a failed delivery's next try may go, on the app's clock: its planned retry, and for Slack not before
 * its channel's next posting slot (a 429's Retry-After holds the channel too).
 */
export async function nextTryAt(app: TestApp, deliveryId: number | string): Promise<number> {
  const row = await app.deps.db.selectFrom('deliveries').selectAll().where('id', '=', Number(deliveryId)).executeTakeFirstOrThrow();
  const slot =
    row.destination_type === 'slack'
      ? await app.deps.db
          .selectFrom('channel_pacing')
          .select('next_post_at')
          .where('organization_id', '=', row.organization_id)
          .where('channel_id', '=', row.channel_id ?? '')
          .executeTakeFirst()
      : undefined;
  return Math.max(Number(row.next_attempt_at), Number(slot?.next_post_at ?? 0));
}

/**
 * When a worker would next find a delivery to send (a pending retry or an expired lease); undefined when none
 * is left, so nothing will be sent again, at any time. Reads only: no claim, no lease.
 */
export function nextSendAt(app: TestApp): Promise<number | undefined> {
  return nextLeasedDueAt(app.deps.db, 'deliveries');
}
