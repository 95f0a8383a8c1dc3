import { createServer, type RequestListener, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import type { Config } from './config/config.js';
import { createSecretBox } from './crypto/secret-box.js';
import { loadEncryptionKey } from './crypto/encryption-key.js';
import { idleOutbox } from './delivery/outbox-port.js';
import { startDelivery } from './delivery/start-delivery.js';
import { registerHealthz } from './http/routes/healthz.js';
import { registerMetrics } from './http/routes/metrics.js';
import { experimentEventsRoute } from './experiments/experiment-events.route.js';
import { startExperimentNotificationWorker, type ExperimentWorkerOptions } from './experiments/start-notification-worker.js';
import { flagEventsRoute } from './ingest/ingest.route.js';
import { withEventRoutes } from './http/event-routes.js';
import { createMetrics } from './metrics/metrics.js';
import { ensureAdminToken } from './settings-auth/admin-token.js';
import { registerSettings } from './settings/index.js';
import { createSlackRuntime } from './slack/slack-runtime.js';
import { republishHome } from './slack/home/publish-home.js';
import { registerListeners } from './slack/listeners/index.js';
import { alertOperationsDepsOf } from './wire-alert-operations.js';
import { openDatabase, type DatabaseOptions } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  http: Express;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  database?: DatabaseOptions;
  now?: () => number;
  /** The experiment-notification worker's options; false runs none (tests that drive its passes by hand). */
  experimentWorker?: ExperimentWorkerOptions | false;
}

/** Opens the database, migrates, wires every surface on one Express app and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const key = loadEncryptionKey(config.encryptionKey, config.dataDir, logger);
  const box = createSecretBox(key);
  const { db, dialect, close: closeDb } = openDatabase(config.databaseUrl, options.database);
  try {
    await migrateToLatest(db, options.database?.schema);
  } catch (error) {
    await closeDb();
    throw error;
  }

  const http = express();
  http.disable('x-powered-by');
  http.set('trust proxy', true);
  const deps: AppDeps = { config, db, dialect, logger, box, slack: undefined, outbox: idleOutbox, experimentOutbox: idleOutbox, metrics: createMetrics(), alertStatusChanged: () => undefined, now: options.now ?? Date.now };
  registerHealthz(http, deps);
  registerMetrics(http, deps);
  const alertOps = alertOperationsDepsOf(deps);

  if (config.slack) {
    deps.slack = createSlackRuntime({ config, credentials: config.slack, db, box, logger, express: http });
    registerListeners(deps.slack.app, deps, alertOps);
    deps.alertStatusChanged = (organizationId) => void republishHome(deps, organizationId);
  } else {
    logger.warn('Slack is off: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET (from the app created with manifest.yml) to turn it on.');
  }
  registerSettings(http, deps, alertOps);
  await ensureAdminToken(deps);

  // Deliveries accepted before a crash or restart go out as soon as the worker runs.
  const worker = startDelivery(deps);
  deps.outbox = worker;
  const experimentWorker = options.experimentWorker === false ? undefined : startExperimentNotificationWorker(deps, options.experimentWorker);
  if (experimentWorker) deps.experimentOutbox = experimentWorker;

  const server = await listen(withEventRoutes(deps, [flagEventsRoute, experimentEventsRoute], http), config.port, config.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, publicUrl: config.publicUrl, database: dialect }, 'flag-alerts listening');

  return {
    url,
    deps,
    http,
    async close() {
      await worker.stop();
      await experimentWorker?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDb();
    },
  };
}

function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler).listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
