import { createServer, type RequestListener, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import { createCatalogMemo } from './catalog/catalog-memo.js';
import type { Config } from './config/config.js';
import { checkEncryptionKey } from './crypto/key-check.repository.js';
import { createSecretBox } from './crypto/secret-box.js';
import { loadEncryptionKey } from './crypto/encryption-key.js';
import { idleOutbox, type OutboxPort } from './delivery/outbox-port.js';
import { startDelivery } from './delivery/start-delivery.js';
import { registerHealthz } from './http/routes/healthz.js';
import { registerMetrics } from './http/routes/metrics.js';
import { registerRoot } from './http/routes/root.js';
import { registerReadyz } from './http/routes/readyz.js';
import { createDrain } from './http/drain.js';
import { experimentEventsRoute } from './experiments/experiment-events.route.js';
import { startExperimentNotificationWorker, type ExperimentWorkerOptions } from './experiments/start-notification-worker.js';
import { createFlagEventCommits } from './ingest/ingest-flag-events.js';
import { flagEventsRoute } from './ingest/ingest.route.js';
import { createKnownIngestKeys } from './ingest-keys/ingest-keys.repository.js';
import { withEventRoutes } from './http/event-routes.js';
import { createKnownSources } from './sources/known-sources.js';
import { withRequestLog } from './http/request-log.js';
import { createSourceRegistry } from './sources/registry.js';
import type { PushSource } from './sources/source-kind.js';
import { sourcesRoute } from './sources/source.route.js';
import { createMetrics } from './metrics/metrics.js';
import { createSlackFactsCache } from './roles/role-of.js';
import { ensureAdminToken } from './settings-auth/admin-token.js';
import { createLoginThrottle, type LoginLimits } from './settings-auth/login-throttle.js';
import { registerSettings } from './settings/index.js';
import { createSeenSlackRequests, slackRequestGuard } from './slack/request-guard.js';
import { createSlackRuntime } from './slack/slack-runtime.js';
import { createChannelNameCache } from './slack/home/channel-names.js';
import { republishHome } from './slack/home/publish-home.js';
import { registerListeners } from './slack/listeners/index.js';
import { alertOperationsDepsOf } from './wire-alert-operations.js';
import { assertDatabaseAnswers, openDatabase, type DatabaseOptions } from './storage/database.js';
import { startRetentionWorker, type RetentionWorker } from './retention/start-retention-worker.js';
import { migrateToLatest } from './storage/migrate.js';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  http: Express;
  /** Resolves once the deliveries being sent now are done, so a test can show what was not sent without a sleep. */
  deliveriesSettled(): Promise<void>;
  /**
   * SIGTERM/SIGINT: /readyz answers 503 and new work gets 503 while in-flight requests and sends finish; after
   * `timeoutMs` the unfinished claims are given back for another instance. Then the server and database close.
   */
  shutdown(timeoutMs: number): Promise<{ timedOut: boolean; released: number }>;
  /** RETENTION_DAYS' pruning; a test runs a pass at once with `retention.pass()` */
  retention: RetentionWorker;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  database?: DatabaseOptions;
  now?: () => number;
  /** The experiment-notification worker's options; false runs none (tests that drive its passes by hand). */
  experimentWorker?: ExperimentWorkerOptions | false;
  /** What ingestion and surfaces nudge after committing deliveries: the delivery worker, unless a test counts the nudges (the worker still polls). */
  outbox?: OutboxPort;
  /** The flag platforms sources may be of: every platform module, unless a test hands in its own. */
  sources?: readonly PushSource[];
  /** How many admin-token guesses sign-in takes: LOGIN_LIMITS, unless a test needs a smaller overall limit. */
  loginLimits?: LoginLimits;
}

/** Opens the database, migrates, wires every surface on one Express app and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const key = loadEncryptionKey(config.encryptionKey, config.dataDir, logger);
  const box = createSecretBox(key);
  const { db, dialect, close: closeDb } = openDatabase(config.databaseUrl, options.database);
  try {
    await assertDatabaseAnswers(db, config.databaseUrl);
    await migrateToLatest(db, options.database?.schema);
    await checkEncryptionKey(db, box, (options.now ?? Date.now)());
  } catch (error) {
    await closeDb();
    throw error;
  }

  const http = express();
  http.disable('x-powered-by');
  // Off unless TRUST_PROXY says which proxies to believe: otherwise any client could name its own address.
  http.set('trust proxy', config.trustProxy);
  const metrics = createMetrics();
  registerHealthz(http, { db });
  const drain = createDrain();
  registerRoot(http);
  registerMetrics(http, { metrics, config });

  const now = options.now ?? Date.now;
  // Mounted before Bolt's receiver, which adds its routes to this app as it is built.
  const slackRequests = createSeenSlackRequests();
  // Slack stamps its requests with wall-clock time, so the window is on Date.now, not on the app's clock (which tests move by days).
  if (config.slack) http.post('/slack/events', slackRequestGuard({ signingSecret: config.slack.signingSecret, now: Date.now, seen: slackRequests, logger }));
  const slack = config.slack ? createSlackRuntime({ config, credentials: config.slack, db, box, logger, express: http }) : undefined;
  if (!slack)
    logger.warn('Slack is off: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET (from the app created with manifest.yml) to turn it on.');
  // The caches live as long as this app: tests start several apps in one process, and each starts cold.
  const caches = {
    ingestKeys: createKnownIngestKeys(),
    flagEventCommits: createFlagEventCommits(),
    catalogMemo: createCatalogMemo(),
    slackFacts: createSlackFactsCache(),
    channelNames: createChannelNameCache(),
    knownSources: createKnownSources(),
    loginThrottle: createLoginThrottle(options.loginLimits),
  };
  const base = { config, db, dialect, logger, box, slack, metrics, now, sources: createSourceRegistry(options.sources), ...caches };
  // A delivery that broke or healed an alert refreshes the Home tabs that show its status.
  const alertStatusChanged = slack ? (organizationId: string) => void republishHome(base, organizationId) : () => undefined;

  // Construction order instead of a port: the workers need only what is built above, so they start first and deps carry their wake-ups.
  // Deliveries accepted before a crash or restart go out as soon as the worker runs.
  const worker = startDelivery({ ...base, alertStatusChanged });
  const experimentWorker = options.experimentWorker === false ? undefined : startExperimentNotificationWorker(base, options.experimentWorker);
  const retention = startRetentionWorker(base);
  const deps: AppDeps = Object.freeze({ ...base, alertStatusChanged, outbox: options.outbox ?? worker, experimentOutbox: experimentWorker ?? idleOutbox });

  registerReadyz(http, { db, drain, workersDown: () => (worker.running ? [] : ['delivery']) });

  const alertOps = alertOperationsDepsOf(deps);
  if (slack) registerListeners(slack.app, deps, alertOps);
  registerSettings(http, deps, alertOps);
  await ensureAdminToken(deps);

  const routes = withEventRoutes<AppDeps>(deps, [flagEventsRoute, experimentEventsRoute], http, [sourcesRoute]);
  // The request log outside the drain, so the 503s a shutdown answers are logged too.
  const server = await listen(withRequestLog(logger, drain.wrap(routes)), config);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, publicUrl: config.publicUrl, database: dialect }, 'flag-alerts listening');

  return {
    url,
    deps,
    http,
    deliveriesSettled: () => worker.settled(),
    retention,
    async shutdown(timeoutMs) {
      drain.draining = true;
      logger.info({ timeoutMs }, 'shutting down: finishing the requests and sends in flight');
      const finished = Promise.all([drain.idle(), retention.stop(), worker.stop(), experimentWorker?.stop()]).then(() => false);
      const timedOut = await Promise.race([finished, new Promise<true>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref())]);
      const released = timedOut ? await worker.abandon() : 0;
      if (timedOut) logger.warn({ released }, 'shutdown timed out: unfinished deliveries given back for another instance');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDb();
      return { timedOut, released };
    },
    async close() {
      await retention.stop();
      await worker.stop();
      await experimentWorker?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDb();
    },
  };
}

/**
 * One server for every route, so a slow or hostile client meets the same limits on the unauthenticated
 * /slack/events as on ingest and the settings page: headers and the whole request (its body included) must
 * arrive in time, or Node answers 408 and closes; connections past the cap are closed as they arrive.
 */
function listen(handler: RequestListener, config: Pick<Config, 'port' | 'host' | 'http'>): Promise<Server> {
  const limits = config.http;
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node checks both timeouts on this interval (30 s by default), so a short timeout needs a short interval.
        connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      },
      handler,
    );
    server.maxConnections = limits.maxConnections;
    server.listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
