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
