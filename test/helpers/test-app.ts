import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config.js';
import type { ExperimentWorkerOptions } from '../../src/experiments/start-notification-worker.js';
import { createLogger } from '../../src/logging/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import type { Dialect } from '../../src/storage/database.js';
import type { FakeSlack } from './fake-slack.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestApp extends RunningServer {
  database: TestDatabase;
  /** every log line the app wrote, as text */
  logs(): string;
  signing: { signingSecret: string };
  stop(): Promise<void>;
}

/** Starts the real app on an ephemeral port against a fresh database, talking to the fake Slack. */
export async function startTestApp(options: {
  dialect?: Dialect;
  slack?: FakeSlack;
  env?: Record<string, string>;
  now?: () => number;
  database?: TestDatabase;
  /** the experiment-notification worker's options; false runs none (the test drives passes by hand) */
  experimentWorker?: ExperimentWorkerOptions | false;
  /** what ingestion and surfaces nudge instead of the delivery worker (which still polls), to count the nudges */
  outbox?: StartOptions['outbox'];
  /** the flag platforms sources may be of (a test's own PushSource) */
  sources?: StartOptions['sources'];
  /** sign-in throttling limits other than the defaults */
  loginLimits?: StartOptions['loginLimits'];
}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.dialect ?? 'sqlite'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const slackEnv: Record<string, string> = options.slack
    ? {
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'test-client-secret',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: options.slack.apiUrl,
        SLACK_AUTHORIZE_URL: `${options.slack.baseUrl}/oauth/v2/authorize`,
        SLACK_OPENID_AUTHORIZE_URL: `${options.slack.baseUrl}/openid/connect/authorize`,
      }
    : {};
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost:3000',
    DATABASE_URL: database.url,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'flag-alerts-data-')),
    LOG_LEVEL: 'debug',
    ...slackEnv,
    ...options.env,
  });
  const logger = createLogger(config.logLevel, sink);
  const server = await startServer({
    config,
    logger,
    database: database.options,
    ...(options.now ? { now: options.now } : {}),
    ...(options.experimentWorker !== undefined ? { experimentWorker: options.experimentWorker } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
  });
  return {
    ...server,
    database,
    logs: () => lines.join(''),
    signing: { signingSecret: SIGNING_SECRET },
    async stop() {
      await server.close();
      await database.drop();
    },
  };
}
