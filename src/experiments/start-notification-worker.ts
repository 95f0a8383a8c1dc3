import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppDeps } from '../app-deps.js';
import type { OutboxPort } from '../delivery/outbox-port.js';
import { emailSender, slackDmSender, slackEmailLookup, type NotificationSenders } from './notification-senders.js';
import { notificationPass, PASS_LIMIT, SEND_TIMEOUT_MS, type NotificationDeps } from './notification-worker.js';
import { nextNotificationDueAt } from './notifications.repository.js';

/** Longest sleep when nothing is due sooner: bounds how late a row another instance queued is noticed. */
const MAX_SLEEP_MS = 30_000;
/** Shortest sleep: rows due but not claimable are being claimed by another instance right now. */
const MIN_SLEEP_MS = 1_000;
/** setTimeout fires at once for delays above 2^31-1 ms. */
const TIMER_LIMIT_MS = 2 ** 31 - 1;

export interface ExperimentWorkerOptions {
  /** longest sleep between passes (default 30 s); a nudge or the next due time wakes it sooner */
  maxSleepMs?: number;
  /** Arms the one timer of the worker's sleep and returns its cancel (default: a real, unref'd timeout); a test passes one it fires after moving the app's clock. */
  setTimer?: (fire: () => void, ms: number) => () => void;
}

function realTimer(fire: () => void, ms: number): () => void {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export interface ExperimentNotificationWorker extends OutboxPort {
  stop(): Promise<void>;
}

/**
 * Sends experiment notifications: a pass when nudged (ingest committed notifications, which are due at once
 * for SRM and significance), then a sleep until the next row is due (a reminder, a retry, an expired lease),
 * capped. The SMTP transport and the senders are made once, for the worker's life.
 */
export function startExperimentNotificationWorker(
  deps: NotificationDeps & Pick<AppDeps, 'slack'>,
  options: ExperimentWorkerOptions = {},
): ExperimentNotificationWorker {
  const workerId = `exp-${randomBytes(4).toString('hex')}`;
  const maxSleepMs = Math.min(options.maxSleepMs ?? MAX_SLEEP_MS, TIMER_LIMIT_MS);
  // nodemailer waits minutes by default; a send must end within SEND_TIMEOUT_MS (settings in SMTP_URL still win).
  const transport = deps.config.smtpUrl
    ? nodemailer.createTransport({ url: deps.config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: SEND_TIMEOUT_MS })
    : undefined;
  const senders = sendersFor(deps, transport);
  const input = { workerId, limit: PASS_LIMIT, urlTemplate: deps.config.experimentUrlTemplate };
  const setTimer = options.setTimer ?? realTimer;
  let cancelTimer = (): void => undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const sleep = (ms: number): void => {
    cancelTimer();
    cancelTimer = setTimer(wake, Math.max(0, Math.min(ms, maxSleepMs)));
  };

  const pass = async (): Promise<void> => {
    for (;;) {
      again = false;
      const result = await notificationPass(deps, senders, input);
      if (stopped) return;
      if (again || result.claimed === PASS_LIMIT) continue;
      const next = await nextNotificationDueAt(deps.db);
      if (stopped) return;
      if (again) continue;
      return sleep(next === undefined ? maxSleepMs : Math.max(MIN_SLEEP_MS, next - deps.now()));
    }
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    cancelTimer();
    running = pass()
      .catch((error: unknown) => {
        deps.logger.error({ err: (error as Error).message }, 'experiment notification pass failed; trying again shortly');
        if (!stopped) sleep(5_000);
      })
      .finally(() => {
        running = undefined;
        // A nudge that came while the pass was ending must not wait for the timer.
        if (again) wake();
      });
  }

  // Rows accepted before a restart (and leases of a crashed worker) are looked at right away.
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      cancelTimer();
      await running;
      transport?.close();
    },
  };
}

function sendersFor(deps: Pick<AppDeps, 'slack' | 'config'>, transport: Transporter | undefined): NotificationSenders {
  const slack = deps.slack;
  const clientFor = slack ? (organizationId: string) => slack.clientFor(organizationId) : undefined;
  const from = `Flag Alerts <no-reply@${new URL(deps.config.publicUrl).hostname}>`;
  return {
    slack: clientFor ? slackDmSender(clientFor) : undefined,
    email: transport ? emailSender(transport, from, clientFor ? slackEmailLookup(clientFor) : undefined) : undefined,
  };
}
