import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';

// xoxe-: the refresh tokens of token rotation.
const SLACK_TOKEN = /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g;
/** Secrets the WebClient's debug log shows as fields of request bodies (JSON or form), e.g. oauth.v2.access's client_secret. */
const SECRET_FIELD = /((?:client_secret|refresh_token|access_token|signing_secret)\\?"?\s*[:=]\s*\\?"?)[^"\\&\s,}]+/gi;

/** Slack tokens and app credentials can appear inside messages the SDK logs; they never reach our log. */
function scrub(parts: unknown[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p)))
    .join(' ')
    .replace(SLACK_TOKEN, '[redacted]')
    .replace(SECRET_FIELD, '$1[redacted]');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const toPino: Record<LogLevel, string> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
};

/** Adapts our pino logger to the Logger interface Bolt, the OAuth installer and the WebClient expect. */
export function boltLogger(base: Logger, name = 'slack'): SlackLogger {
  let logger = base.child({ component: name });
  return {
    debug: (...msg) => logger.debug(scrub(msg)),
    info: (...msg) => logger.info(scrub(msg)),
    warn: (...msg) => logger.warn(scrub(msg)),
    error: (...msg) => logger.error(scrub(msg)),
    setLevel: () => {
      /* the level is ours (LOG_LEVEL); Bolt may not change it */
    },
    getLevel: () => slackLevelOf(logger.level),
    setName: (n: string) => {
      logger = base.child({ component: n });
    },
  };
}

export function slackLevelOf(pinoLevel: string): LogLevel {
  const found = (Object.keys(toPino) as LogLevel[]).find((l) => toPino[l] === pinoLevel);
  if (found) return found;
  return pinoLevel === 'trace' ? LogLevel.DEBUG : LogLevel.ERROR;
}
