import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CatalogMemo } from './catalog/catalog-memo.js';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { OutboxPort } from './delivery/outbox-port.js';
import type { KnownIngestKeys } from './ingest-keys/ingest-keys.repository.js';
import type { FlagEventCommits } from './ingest/ingest-flag-events.js';
import type { Metrics } from './metrics/metrics.js';
import type { SlackFactsCache } from './roles/role-of.js';
import type { LoginThrottle } from './settings-auth/login-throttle.js';
import type { ChannelNameCache } from './slack/home/channel-names.js';
import type { SlackRuntime } from './slack/slack-runtime.js';
import type { KnownSources } from './sources/known-sources.js';
import type { SourceRegistry } from './sources/registry.js';
import type { Dialect } from './storage/database.js';
import type { Database } from './storage/schema.js';

/**
 * Everything the app is made of, built once and frozen in server.ts (tests build theirs through it). Modules
 * take the narrow part they use (`Pick<AppDeps, …>`, named for the module); the caches are the root's too.
 */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly logger: Logger;
  readonly box: SecretBox;
  /** undefined when the Slack credentials are not set: Slack features are off. */
  readonly slack: SlackRuntime | undefined;
  /** Nudges the delivery worker after new deliveries are committed. */
  readonly outbox: OutboxPort;
  /** Nudges the experiment-notification worker after ingest committed notifications (SRM, significance: due at once). */
  readonly experimentOutbox: OutboxPort;
  readonly metrics: Metrics;
  /**
   * Called after an alert's status changed outside a person's action (a delivery broke or healed it), so
   * surfaces that show status can refresh. Wired by the composition root; delivery knows no surface.
   */
  readonly alertStatusChanged: (organizationId: string) => void;
  /** Injected clock (unix ms), so tests can move time. */
  readonly now: () => number;
  /** Ingest keys accepted lately: the key check on the ingest hot path mostly reads no row. */
  readonly ingestKeys: KnownIngestKeys;
  /** The flag-event group-commit queue. */
  readonly flagEventCommits: FlagEventCommits;
  /** Catalog rows already stored, so ingest skips their upserts. */
  readonly catalogMemo: CatalogMemo;
  /** Slack's answers about people, for their roles. */
  readonly slackFacts: SlackFactsCache;
  /** Names of alert channels that may be shown. */
  readonly channelNames: ChannelNameCache;
  /** The flag platforms that can post to `/api/v1/sources/<id>`, by kind. */
  readonly sources: SourceRegistry;
  /** Sources read lately with their secrets opened: the source route mostly reads no row. */
  readonly knownSources: KnownSources;
  /** Admin-token sign-in attempts by client address and overall. */
  readonly loginThrottle: LoginThrottle;
}
