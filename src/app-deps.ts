import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { OutboxPort } from './delivery/outbox-port.js';
import type { Metrics } from './metrics/metrics.js';
import type { SlackRuntime } from './slack/slack-runtime.js';
import type { Dialect } from './storage/database.js';
import type { Database } from './storage/schema.js';

/** What every surface and worker is handed. Built once in server.ts; tests build their own. */
export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  dialect: Dialect;
  logger: Logger;
  box: SecretBox;
  /** undefined when the Slack credentials are not set: Slack features are off. */
  slack: SlackRuntime | undefined;
  /** Nudges the delivery worker after new deliveries are committed. */
  outbox: OutboxPort;
  /** Nudges the experiment-notification worker after ingest committed notifications (SRM, significance: due at once). */
  experimentOutbox: OutboxPort;
  metrics: Metrics;
  /**
   * Called after an alert's status changed outside a person's action (a delivery broke or healed it), so
   * surfaces that show status can refresh. Wired by the composition root; delivery knows no surface.
   */
  alertStatusChanged: (organizationId: string) => void;
  /** Injected clock (unix ms), so tests can move time. */
  now: () => number;
}
