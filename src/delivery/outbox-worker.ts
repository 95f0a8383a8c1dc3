import { randomBytes } from 'node:crypto';
import type { OutboxPort } from './outbox-port.js';
import { claimDue, countBacklog, releaseClaimsOf, type DeliveryRow } from './deliveries.repository.js';
import { loadContents, type DeliveryContent } from './delivery-content.js';
import { sendSlackGroup } from './send-slack-group.js';
import { sendWebhook } from './send-webhook.js';
import type { DeliveryDeps, SendContext } from './send-context.js';
import type { SlackNotifier } from './slack/slack-notifier.js';
import type { WebhookNotifier } from './webhook/webhook-notifier.js';

export interface OutboxWorker extends OutboxPort {
  /** Resolves once the sends running now have ended, outcomes and DMs written (tests that show nothing more was sent). */
  settled(): Promise<void>;
  /** false once stopping began */
  readonly running: boolean;
  /** Stops claiming and waits for the sends in flight. */
  stop(): Promise<void>;
  /** After a stop that took too long: gives this worker's unfinished claims back and aborts its webhook sends. */
  abandon(): Promise<number>;
}

export interface WorkerOptions {
  slack: SlackNotifier | undefined;
  webhook: WebhookNotifier;
  /** deliveries being sent at once */
  concurrency?: number;
  /** how often to look for retries that came due and expired leases */
  pollMs?: number;
  /** how long a claim holds before another worker may take the delivery over */
  leaseMs?: number;
  /** Slack's pace: one post per channel per this many ms */
  channelIntervalMs?: number;
}

/**
 * Sends the outbox: claims due rows in batches as capacity frees up, sends webhooks one by one and
 * Slack deliveries per channel (paced, folded into digests), and records every outcome. A nudge after
 * commit starts sending at once; a poll picks up retries and the leases of dead workers.
 */
export function startOutboxWorker(deps: DeliveryDeps, options: WorkerOptions): OutboxWorker {
  const concurrency = options.concurrency ?? 128;
  // Longer than any one send may take (10 s timeouts), short enough that a crashed worker's claims come back soon.
  const leaseMs = options.leaseMs ?? 15_000;
  const workerId = `w-${randomBytes(4).toString('hex')}`;
  let inFlight = 0;
  let pumping = false;
  let again = false;
  let stopped = false;
  let moreWaiting = false;
  const running = new Set<Promise<void>>();

  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      do {
        again = false;
        while (!stopped && inFlight < concurrency) {
          const limit = Math.min(100, concurrency - inFlight);
          const rows = await claimDue(deps.db, deps.dialect, { now: deps.now(), limit, leaseMs, workerId });
          moreWaiting = rows.length === limit;
          if (rows.length === 0) break;
          dispatch(await loadContents(deps.db, rows));
        }
      } while (again && !stopped);
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, 'outbox: claiming deliveries failed; will try again');
    } finally {
      pumping = false;
    }
  };

  const wake = (): void => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    void pump();
  };

  const wakeAt = (at: number): void => {
    const delay = at - deps.now();
    if (delay <= 0) return wake();
    setTimeout(wake, delay).unref();
  };
  const ctx: SendContext = {
    deps,
    slack: options.slack,
    webhook: options.webhook,
    channelIntervalMs: options.channelIntervalMs ?? 1100,
    wakeAt,
    workerId,
    leaseMs,
  };

  const track = (rows: DeliveryRow[], work: Promise<void>): void => {
    inFlight += rows.length;
    const p = work
      .catch((error: Error) => deps.logger.error({ err: error.message }, 'outbox: a send step failed; its leases will expire and be retried'))
      .finally(() => {
        inFlight -= rows.length;
        running.delete(p);
        if (moreWaiting) wake();
      });
    running.add(p);
  };

  const dispatch = (contents: DeliveryContent[]): void => {
    const channels = new Map<string, DeliveryContent[]>();
    for (const c of contents) {
      if (c.row.destination_type === 'slack') {
        const key = `${c.row.organization_id}\u0000${c.row.channel_id ?? ''}`;
        channels.set(key, [...(channels.get(key) ?? []), c]);
      } else {
        track([c.row], sendWebhook(ctx, c));
      }
    }
    for (const group of channels.values())
      track(
        group.map((c) => c.row),
        sendSlackGroup(ctx, group),
      );
  };

  const tick = setInterval(() => {
    wake();
    countBacklog(deps.db).then(
      (n) => deps.metrics.outboxBacklog.set(n),
      () => undefined,
    );
  }, options.pollMs ?? 1000);
  tick.unref();
  wake();

  return {
    wake,
    async settled() {
      await Promise.allSettled([...running]);
    },
    get running() {
      return !stopped;
    },
    async stop() {
      stopped = true;
      clearInterval(tick);
      await Promise.allSettled([...running]);
      await options.webhook.close();
    },
    async abandon() {
      stopped = true;
      clearInterval(tick);
      // A send still waiting on its receiver may yet arrive there: its row goes back all the same, since this
      // process is about to exit and could not record the outcome.
      const released = await releaseClaimsOf(deps.db, workerId, deps.now());
      void options.webhook.close().catch(() => undefined);
      return released;
    },
  };
}
