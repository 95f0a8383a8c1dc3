import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { safeEqual } from '../crypto/safe-equal.js';
import { contentTypeOf, readBody, refuse, send } from '../http/event-routes.js';

/**
 * How far a request's X-Slack-Request-Timestamp may be from our clock, either way. Slack's own check only
 * refuses old requests (https://api.slack.com/authentication/verifying-requests-from-slack); one stamped in
 * the future would otherwise stay replayable for as long as it is ahead.
 */
export const SLACK_REQUEST_WINDOW_MS = 5 * 60_000;

/**
 * Slack retries an event it got no quick 200 for nearly at once, after 1 minute and after 5 minutes
 * (https://api.slack.com/apis/events-api#retries), each time newly signed: its event_id is kept past the last.
 */
const EVENT_ID_KEPT_MS = 15 * 60_000;

/** Enough for every Slack request of a busy workspace within the window; past it the oldest are forgotten first. */
const MAX_REMEMBERED = 50_000;

/**
 * The Slack requests already taken, so a replayed request or a retried event runs once. It lives in memory,
 * one per app (the composition root builds it), bounded in size: a copy that reaches another instance behind
 * a load balancer runs there too. That is accepted on purpose: what a repeat can do is publish a Home tab
 * again or ask for a test that is already pending (refused by the delivery rule, which the database enforces
 * across instances), and keeping this in the database would put a write before every ack Slack waits 3 s for.
 */
export interface SeenSlackRequests {
  /** True the first time `key` is offered while remembered; it is remembered until `keepUntil` (unix ms). */
  firstTime(key: string, keepUntil: number, now: number): boolean;
}

export function createSeenSlackRequests(maxEntries = MAX_REMEMBERED): SeenSlackRequests {
  const keptUntil = new Map<string, number>();
  return {
    firstTime(key, keepUntil, now) {
      const until = keptUntil.get(key);
      if (until !== undefined && until > now) return false;
      keptUntil.delete(key);
      keptUntil.set(key, keepUntil);
      // A Map keeps arrival order, which is about expiry order: sweep from the oldest until one is still kept.
      for (const [k, kept] of keptUntil) {
        if (kept > now && keptUntil.size <= maxEntries) break;
        keptUntil.delete(k);
      }
      return true;
    },
  };
}

export interface SlackRequestGuardDeps {
  signingSecret: string;
  now: () => number;
  seen: SeenSlackRequests;
  logger: Logger;
}

/**
 * In front of Bolt on POST /slack/events: refuses a timestamp more than 5 minutes off in either direction
 * before reading the body, reads the body within our limits, checks Slack's signature, and answers a repeat
 * (the same signed request again, or an event Slack already delivered) with a plain 200 without running it.
 * Bolt then reads the body from `req.rawBody` and checks the signature again.
 */
export function slackRequestGuard(deps: SlackRequestGuardDeps): RequestHandler {
  return (req, res, next) => {
    guard(deps, req).then(
      (verdict) => {
        if (verdict.kind === 'pass') return next();
        if (verdict.kind === 'refuse') return refuse(req, res, verdict.status, { error: verdict.error });
        if (verdict.kind === 'unsigned') return send(res, 401, { error: verdict.error });
        deps.logger.info({ replay: verdict.key.split(':', 1)[0] }, 'ignored a repeated Slack request');
        res.writeHead(200, { 'Content-Length': 0 }).end();
      },
      (error: unknown) => next(error),
    );
  };
}

type Verdict =
  | { kind: 'pass' }
  /** answered before the body was read */
  | { kind: 'refuse'; status: number; error: string }
  /** the body was read; the signature is wrong */
  | { kind: 'unsigned'; error: string }
  | { kind: 'repeat'; key: string };

async function guard(deps: SlackRequestGuardDeps, req: IncomingMessage & { rawBody?: Buffer }): Promise<Verdict> {
  const stamp = headerOf(req, 'x-slack-request-timestamp');
  const signature = headerOf(req, 'x-slack-signature');
  const seconds = /^\d{1,12}$/.test(stamp) ? Number(stamp) : NaN;
  if (!signature || Number.isNaN(seconds)) return { kind: 'refuse', status: 401, error: 'missing or malformed Slack signature headers' };
  const now = deps.now();
  if (Math.abs(now - seconds * 1000) > SLACK_REQUEST_WINDOW_MS)
    return { kind: 'refuse', status: 401, error: 'X-Slack-Request-Timestamp is more than 5 minutes off' };

  const raw = await readBody(req);
  if (!raw.ok) return { kind: 'refuse', status: raw.status, error: raw.error };
  const expected = `v0=${createHmac('sha256', deps.signingSecret).update(`v0:${stamp}:`).update(raw.bytes).digest('hex')}`;
  if (!safeEqual(signature, expected)) return { kind: 'unsigned', error: 'Slack signature mismatch' };

  const eventId = eventIdOf(req, raw.bytes);
  // An exact replay carries the same signature; a retried event carries a new one, but the same event_id.
  const key = eventId ? `event:${eventId}` : `signature:${signature}`;
  const keepUntil = eventId ? now + EVENT_ID_KEPT_MS : Math.max(now, seconds * 1000) + SLACK_REQUEST_WINDOW_MS;
  if (!deps.seen.firstTime(key, keepUntil, now)) return { kind: 'repeat', key };
  req.rawBody = raw.bytes;
  return { kind: 'pass' };
}

function headerOf(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The Events API's event_id of an event_callback (JSON); commands and interactions are form-encoded and have none. */
function eventIdOf(req: IncomingMessage, body: Buffer): string | undefined {
  if (contentTypeOf(req) !== 'application/json') return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { type?: unknown; event_id?: unknown };
    return parsed.type === 'event_callback' && typeof parsed.event_id === 'string' && parsed.event_id !== '' ? parsed.event_id : undefined;
  } catch {
    return undefined;
  }
}
