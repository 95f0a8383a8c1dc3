import { pino, type DestinationStream, type LogFn, type Logger } from 'pino';
import { scrubText } from './scrub-text.js';

/** Field names whose values are secrets wherever they appear in a log object. */
const SECRET_PATHS = [
  'token',
  'botToken',
  'userToken',
  'refreshToken',
  'accessToken',
  'access_token',
  'refresh_token',
  'client_secret',
  'clientSecret',
  'signingKey',
  'signing_key',
  'signingSecret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'key',
  'ingestKey',
  '*.token',
  '*.botToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.signingKey',
  '*.client_secret',
  '*.authorization',
  '*.key',
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
  // A one-use OAuth code is a credential until it is traded (issue 17); people's addresses are theirs.
  'code',
  'query.code',
  'req.query.code',
  'email',
  '*.email',
  'profile.email',
  '*.profile.email',
];

/** Message text and an object's own text fields (`err: error.message`) are scrubbed as the SDK's messages are. */
function scrubArgument(arg: unknown): unknown {
  if (typeof arg === 'string') return scrubText(arg);
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || arg instanceof Error) return arg;
  return Object.fromEntries(Object.entries(arg).map(([key, value]) => [key, typeof value === 'string' ? scrubText(value) : value]));
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      base: { app: 'flag-alerts' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, (args as unknown[]).map(scrubArgument) as Parameters<LogFn>);
        },
      },
    },
    destination,
  );
}
