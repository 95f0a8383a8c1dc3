import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { AppDeps } from '../app-deps.js';
import { authenticateIngestKey } from '../ingest-keys/ingest-keys.repository.js';
import { parseFlagEventsBody, type ValidationIssue } from './flag-event.schema.js';
import { ingestFlagEvents } from './ingest-flag-events.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

export const INGEST_PATH = '/api/v1/flag-events';
export const MAX_BODY = '1mb';

/** The organization each authenticated request's key belongs to. */
const organizationOf = new WeakMap<Request, string>();

/** The organization of the key `authenticate` accepted for this request. */
export function authenticatedOrganization(req: Request): string | undefined {
  return organizationOf.get(req);
}

/** `POST /api/v1/flag-events` (contract section 3): ingest key → JSON → validation → one transaction → 202. */
export function registerIngestRoute(http: Express, deps: AppDeps): void {
  // Headers are checked before the body is read, so a stranger cannot make us buffer a megabyte.
  http.post(
    INGEST_PATH,
    authenticate(deps),
    requireJson,
    // Raw bytes: we decode and parse ourselves to answer 400 / 413 / 415 precisely.
    express.raw({ type: () => true, limit: MAX_BODY }),
    async (req, res) => {
      const body = decodeJson(req.body);
      if (!body.ok) return void refuse(req, res, 400, { error: body.error, issues: body.issues });
      const parsed = parseFlagEventsBody(body.value);
      if (!parsed.ok) return void refuse(req, res, 400, { error: 'invalid flag event', issues: parsed.issues });
      const organizationId = organizationOf.get(req);
      if (organizationId === undefined) throw new Error('ingest route reached without an authenticated key');
      const result = await ingestFlagEvents(deps, organizationId, parsed.events);
      res.status(202).json(result);
    },
  );
  http.use(INGEST_PATH, ingestErrors(deps));
}

/** Shared with the experiment-events route (src/experiments/). */
export function authenticate(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      res.set('WWW-Authenticate', 'Bearer');
      return void refuse(req, res, 401, { error: 'missing ingest key: send "Authorization: Bearer <ingest key>"' });
    }
    const key = await authenticateIngestKey(deps.db, match[1], deps.now());
    if (!key) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      return void refuse(req, res, 401, { error: 'unknown or revoked ingest key' });
    }
    organizationOf.set(req, key.organizationId);
    next();
  };
}

export const requireJson: RequestHandler = (req, res, next) => {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) return next();
  refuse(req, res, 415, { error: `Content-Type must be application/json${type ? `, not ${type}` : ''}` });
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Decoded = { ok: true; value: unknown } | { ok: false; error: string; issues: ValidationIssue[] };

export function decodeJson(body: unknown): Decoded {
  if (!Buffer.isBuffer(body) || body.length === 0) return { ok: false, error: 'empty body', issues: [{ path: '(body)', message: 'expected a JSON flag event or {"events": [...]}' }] };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: 'body is not valid UTF-8', issues: [{ path: '(body)', message: 'invalid UTF-8 byte sequence' }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, error: 'body is not valid JSON', issues: [{ path: '(body)', message: error instanceof Error ? error.message : String(error) }] };
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    return { ok: false, error: 'body nests too deeply', issues: [{ path: '(body)', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }] };
  }
  return { ok: true, value };
}

/** Answers without waiting for the rest of the body, and drains it so the connection stays usable. */
export function refuse(req: Request, res: Response, status: number, body: object): void {
  req.resume();
  res.status(status).json(body);
}

/** Body-reader errors become their 4xx; anything else is ours: logged, answered 500 without details. */
export function ingestErrors(deps: AppDeps, what = 'flag event ingestion'): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = httpStatusOf(error);
    if (status === 413) return void refuse(req, res, 413, { error: `body larger than ${MAX_BODY}: send fewer events per request` });
    if (status !== undefined && status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'bad request';
      return void refuse(req, res, status === 415 ? 415 : 400, { error: message });
    }
    deps.logger.error({ err: error }, `${what} failed`);
    res.status(500).json({ error: 'internal error: the events were not stored, retry later' });
  };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}
