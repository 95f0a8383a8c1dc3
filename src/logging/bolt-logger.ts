import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';
import { scrubText } from './scrub-text.js';

/** Slack tokens, app credentials, codes and email addresses can appear inside messages the SDK logs; they never reach our log. */
function scrub(parts: unknown[]): string {
  return scrubText(parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p))).join(' '));
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
