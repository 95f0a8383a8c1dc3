import { isIP } from 'node:net';
import { z } from 'zod';

/** A bad setting: the message names the variable and what is wrong, in one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A positive duration in milliseconds; 0 would switch Node's timeouts off. */
const milliseconds = z.coerce.number().int().min(1).max(3_600_000);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const databaseUrl = z.string().refine(
  (v) => {
    if (v.startsWith('file:')) return v.length > 'file:'.length;
    if (v === ':memory:') return true;
    if (!/^postgres(ql)?:\/\//.test(v)) return false;
    try {
      return new URL(v).hostname !== '' || new URL(v).searchParams.has('host');
    } catch {
      return false;
    }
  },
  { message: 'must be file:<path> (SQLite) or postgres://user@host:port/database' },
);

/** The names proxy-addr (Express's `trust proxy`) knows for address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [ip = '', prefix, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY, as Express's `trust proxy` takes it: true, a number of hops, or addresses/ranges of the proxies.
 * Unset or false: no X-Forwarded-* header is believed, and the client's address is the connection's.
 */
const trustProxy = optionalText.pipe(
  z
    .string()
    .optional()
    .refine((v) => v === undefined || /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((entry) => isProxyAddress(entry.trim())), {
      message: 'must be true, false, a number of proxy hops, or proxy addresses such as loopback,10.0.0.0/8',
    })
    .transform((v): boolean | number | string => {
      if (v === undefined || v === 'false') return false;
      if (v === 'true') return true;
      return /^\d+$/.test(v) ? Number(v) : v;
    }),
);

/** The admin token is the operator's key to every organization: short enough to guess is not allowed. */
export const ADMIN_TOKEN_MIN_LENGTH = 24;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalText.pipe(httpUrl.optional()),
  DATABASE_URL: databaseUrl.default('file:./data/flag-alerts.db'),
  ENCRYPTION_KEY: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_AUTHORIZE_URL: httpUrl.default('https://slack.com/oauth/v2/authorize'),
  SLACK_OPENID_AUTHORIZE_URL: httpUrl.default('https://slack.com/openid/connect/authorize'),
  ADMIN_TOKEN: optionalText.pipe(
    z
      .string()
      .min(ADMIN_TOKEN_MIN_LENGTH, { message: `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (openssl rand -base64 24 makes one)` })
      .optional(),
  ),
  METRICS_TOKEN: optionalText,
  TRUST_PROXY: trustProxy,
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ message: 'must be a whole number of milliseconds' }).int().min(0).max(600_000).default(10_000),
  RETENTION_DAYS: z.coerce.number({ message: 'must be a whole number of days' }).int('must be a whole number of days').min(1).max(3650).default(30),
  FLAG_URL_TEMPLATE: optionalText.pipe(
    z
      .string()
      .refine((v) => /^https?:\/\//.test(v), { message: 'must start with http:// or https://' })
      .optional(),
  ),
  SMTP_URL: optionalText.pipe(
    z
      .string()
      .refine((v) => /^smtps?:\/\/[^/\s]+/.test(v) && URL.canParse(v), { message: 'must be an smtp:// or smtps:// URL' })
      .optional(),
  ),
  EXPERIMENT_URL_TEMPLATE: optionalText.pipe(
    z
      .string()
      .refine((v) => /^https?:\/\//.test(v), { message: 'must start with http:// or https://' })
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds.default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds.default(30_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
});

export interface SlackCredentials {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** Undefined means: derive from the encryption key. */
  stateSecret: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** Raw ENCRYPTION_KEY (base64) when set; otherwise a key file under dataDir is used. */
  encryptionKey: string | undefined;
  dataDir: string;
  slack: SlackCredentials | undefined;
  slackApiUrl: string;
  slackAuthorizeUrl: string;
  slackOpenIdAuthorizeUrl: string;
  adminToken: string | undefined;
  /** When set, GET /metrics answers only to `Authorization: Bearer <this>`. */
  metricsToken: string | undefined;
  /** Express's `trust proxy`: false unless TRUST_PROXY names the proxies in front of the app. */
  trustProxy: boolean | number | string;
  webhookAllowPrivateNetworks: boolean;
  /** Events and finished deliveries older than this many days are deleted (pending ones never). */
  retentionDays: number;
  /** SIGTERM/SIGINT: how long in-flight requests and sends may take before their claims are given back */
  shutdownTimeoutMs: number;
  flagUrlTemplate: string | undefined;
  /** Experiment notifications by email (issue 8); off when unset. */
  smtpUrl: string | undefined;
  /** Link in experiment notifications: {experimentId}, {projectId}. */
  experimentUrlTemplate: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** What one client may hold of the server, the same on every route (Slack's, ingest, settings). */
  http: HttpLimits;
}

export interface HttpLimits {
  /** The request line and headers must arrive within this (idle new connections too). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this: the deadline that cuts off a trickled body. */
  requestTimeoutMs: number;
  /** Connections beyond this many at once are closed as they arrive. */
  maxConnections: number;
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'}`);
  }
  const e = parsed.data;
  const slackParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_SIGNING_SECRET];
  const someSlack = slackParts.some((p) => p !== undefined);
  if (someSlack && slackParts.some((p) => p === undefined)) {
    const missing = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET'].filter((_, i) => slackParts[i] === undefined);
    throw new ConfigError(`${missing[0]}: must be set together with the other Slack credentials`);
  }
  if (e.ENCRYPTION_KEY !== undefined) assertEncryptionKey(e.ENCRYPTION_KEY);
  // Node refuses a headers timeout longer than the request timeout: say so in the config's words.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS)
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS})`);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    encryptionKey: e.ENCRYPTION_KEY,
    dataDir: e.DATA_DIR,
    slack:
      e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_SIGNING_SECRET
        ? {
            clientId: e.SLACK_CLIENT_ID,
            clientSecret: e.SLACK_CLIENT_SECRET,
            signingSecret: e.SLACK_SIGNING_SECRET,
            stateSecret: e.SLACK_STATE_SECRET,
          }
        : undefined,
    slackApiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    slackAuthorizeUrl: e.SLACK_AUTHORIZE_URL,
    slackOpenIdAuthorizeUrl: e.SLACK_OPENID_AUTHORIZE_URL,
    adminToken: e.ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
    webhookAllowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    retentionDays: e.RETENTION_DAYS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    flagUrlTemplate: e.FLAG_URL_TEMPLATE,
    smtpUrl: e.SMTP_URL,
    experimentUrlTemplate: e.EXPERIMENT_URL_TEMPLATE,
    logLevel: e.LOG_LEVEL,
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS, maxConnections: e.HTTP_MAX_CONNECTIONS },
  };
}

function assertEncryptionKey(value: string): void {
  const isBase64 = /^[A-Za-z0-9+/]+={0,2}$/.test(value);
  if (!isBase64 || Buffer.from(value, 'base64').length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)');
  }
}
