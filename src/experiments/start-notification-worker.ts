import { hostname } from 'node:os';
import type { AppDeps } from '../app-deps.js';
import { emailSender, slackDmSender, type NotificationSenders } from './notification-senders.js';
import { sendDueNotifications } from './notification-worker.js';

const POLL_MS = 5_000;

export interface ExperimentNotificationWorker {
  stop(): Promise<void>;
}

/** Polls the experiment-notification outbox (reminders are due at fixed times, so polling suffices). */
export function startExperimentNotificationWorker(deps: AppDeps): ExperimentNotificationWorker {
  const workerId = `${hostname()}:${process.pid}:experiments`;
  const from = `Flag Alerts <no-reply@${new URL(deps.config.publicUrl).hostname}>`;
  const senders = (): NotificationSenders => ({
    // Slack is read at each pass: the runtime is created after the worker may have started.
    slack: deps.slack ? slackDmSender((orgId) => deps.slack?.clientFor(orgId) ?? Promise.resolve(undefined)) : undefined,
    email: deps.config.smtpUrl ? emailSender(deps.config.smtpUrl, from) : undefined,
  });
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = sendDueNotifications(deps, senders(), { workerId, urlTemplate: deps.config.experimentUrlTemplate })
      .then(() => undefined)
      .catch((error: unknown) => deps.logger.error({ err: error }, 'experiment notification pass failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
