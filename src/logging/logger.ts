import { pino, type Logger, type DestinationStream } from 'pino';

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
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, base: { app: 'flag-alerts' } }, destination);
}
