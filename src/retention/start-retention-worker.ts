import type { AppDeps } from '../app-deps.js';
import { deleteFinishedDeliveriesBefore, eventsWithDeliveries } from '../delivery/deliveries.repository.js';
import { deleteFlagEvents, eventIdsReceivedBefore } from '../flag-events/flag-events.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Small batches: each delete is a short transaction, so ingest and the outbox never wait long behind one. */
const BATCH = 500;
const FIRST_PASS_AFTER_MS = 60_000;
const EVERY_MS = 60 * 60_000;

export interface PruneResult {
  deliveries: number;
  events: number;
}

export interface RetentionWorker {
  /** One whole pass now: what was deleted. A pass already running is waited for instead of run twice. */
  pass(): Promise<PruneResult>;
  stop(): Promise<void>;
}

export type RetentionDeps = Pick<AppDeps, 'db' | 'config' | 'logger' | 'metrics' | 'now'>;

export interface RetentionOptions {
  /** Arms the worker's one timer and returns its cancel (default: a real, unref'd timeout). */
  setTimer?: (fire: () => void, ms: number) => () => void;
}

function realTimer(fire: () => void, ms: number): () => void {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

/**
 * RETENTION_DAYS: a minute after start and hourly after, deletes finished deliveries, then events no delivery
 * points at, older than the retention, in small batches. Several instances may prune at once: a row is deleted
 * once, the others find it gone.
 */
export function startRetentionWorker(deps: RetentionDeps, options: RetentionOptions = {}): RetentionWorker {
  const setTimer = options.setTimer ?? realTimer;
  let running: Promise<PruneResult> | undefined;
  let stopped = false;
  let cancel = setTimer(() => void timed(), FIRST_PASS_AFTER_MS);

  const timed = async (): Promise<void> => {
    try {
      await pass();
    } catch (error) {
      deps.logger.warn({ err: error }, 'retention pass failed; the next one tries again');
    }
    if (!stopped) cancel = setTimer(() => void timed(), EVERY_MS);
  };

  const pass = (): Promise<PruneResult> => {
    running ??= prune(deps).finally(() => (running = undefined));
    return running;
  };

  return {
    pass,
    async stop() {
      stopped = true;
      cancel();
      await running?.catch(() => undefined);
    },
  };
}

async function prune(deps: RetentionDeps): Promise<PruneResult> {
  const before = deps.now() - deps.config.retentionDays * DAY_MS;
  let deliveries = 0;
  for (let n = BATCH; n === BATCH; deliveries += n) n = await deleteFinishedDeliveriesBefore(deps.db, before, BATCH);
  let events = 0;
  for (let afterId = 0; ;) {
    const candidates = await eventIdsReceivedBefore(deps.db, before, afterId, BATCH);
    if (candidates.length === 0) break;
    const kept = await eventsWithDeliveries(deps.db, candidates);
    events += await deleteFlagEvents(
      deps.db,
      candidates.filter((id) => !kept.has(id)),
    );
    afterId = candidates[candidates.length - 1] ?? afterId;
  }
  if (deliveries > 0) deps.metrics.retentionPruned.inc({ table: 'deliveries' }, deliveries);
  if (events > 0) deps.metrics.retentionPruned.inc({ table: 'flag_events' }, events);
  if (deliveries + events > 0) deps.logger.info({ deliveries, events, retentionDays: deps.config.retentionDays }, 'retention: deleted old rows');
  return { deliveries, events };
}
