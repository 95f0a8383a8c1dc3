import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import type { AppDeps } from '../app-deps.js';
import { authenticateIngestKey } from '../ingest-keys/ingest-keys.repository.js';
import type { ParsedEvents } from './events-body.js';
import { decodeJson } from './json-body.js';
import { setRoutePattern } from './request-log.js';

export const MAX_BODY = '1mb';

/** What serving the event routes needs itself: the ingest-key check, the clock and the log. */
export type EventRoutesDeps = Pick<AppDeps, 'db' | 'ingestKeys' | 'now' | 'logger'>;

/** An ingestion endpoint: ingest key → JSON → validation → the feature's ingest (given deps D) → 202 with its result. */
export interface EventRoute<E, D = AppDeps> {
  path: string;
  /** names the events in answers and logs, e.g. "flag event" */
  noun: string;
  parse(body: unknown): ParsedEvents<E>;
  ingest(deps: D, organizationId: string, events: E[]): Promise<object>;
}

/**
 * POSTs under a path prefix that check their own authenticity (a flag platform's webhook, `/api/v1/sources/<id>`):
 * `serve` gets the rest of the path and answers on its own; it must not throw.
 */
export interface PrefixRoute<D> {
  /** lower case, ending in "/" */
  prefix: string;
  serve(deps: D, rest: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves POSTs to the event routes straight on node:http and hands every other request to `next` (the
 * Express app). Ingestion is the hot path, and Express's router, response helpers and ETag hashing cost
 * more than the rest of a single-event request (profiled with `npm run bench -- --profile`).
 */
export function withEventRoutes<D extends EventRoutesDeps>(
  deps: D,
  routes: EventRoute<unknown, D>[],
  next: RequestListener,
  prefixRoutes: PrefixRoute<D>[] = [],
): RequestListener {
  const byPath = new Map(routes.map((route) => [route.path, route]));
  return (req, res) => {
    const path = req.method === 'POST' ? pathOf(req.url) : undefined;
    const route = path === undefined ? undefined : byPath.get(path);
    const prefixed = path === undefined || route ? undefined : prefixRoutes.find((r) => path.startsWith(r.prefix) && path.length > r.prefix.length);
    if (route) {
      setRoutePattern(req, route.path);
      void serve(deps, route, req, res);
    } else if (prefixed && path) {
      // The rest of the path is an id (a source's), never logged.
      setRoutePattern(req, `${prefixed.prefix}:id`);
      void prefixed.serve(deps, path.slice(prefixed.prefix.length), req, res);
    } else next(req, res);
  };
}

/** Like Express's default routing: case-insensitive, a trailing slash allowed, the query ignored. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]?.toLowerCase() ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

async function serve<E, D extends EventRoutesDeps>(deps: D, route: EventRoute<E, D>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    // Headers are checked before the body is read, so a stranger cannot make us buffer a megabyte.
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return refuse(req, res, 401, { error: 'missing ingest key: send "Authorization: Bearer <ingest key>"' }, { 'WWW-Authenticate': 'Bearer' });
    const key = await authenticateIngestKey(deps.db, deps.ingestKeys, match[1], deps.now());
    if (!key) return refuse(req, res, 401, { error: 'unknown or revoked ingest key' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    const type = contentTypeOf(req);
    if (!isJsonType(type)) return refuse(req, res, 415, { error: `Content-Type must be application/json${type ? `, not ${type}` : ''}` });
    const raw = await readBody(req);
    if (!raw.ok) return refuse(req, res, raw.status, { error: raw.error });
    const body = decodeJson(raw.bytes);
    if (!body.ok) return send(res, 400, { error: body.error, issues: body.issues });
    const parsed = route.parse(body.value);
    if (!parsed.ok) return send(res, 400, { error: `invalid ${route.noun}`, issues: parsed.issues });
    send(res, 202, await route.ingest(deps, key.organizationId, parsed.events));
  } catch (error) {
    deps.logger.error({ err: error }, `${route.noun} ingestion failed`);
    if (res.headersSent) return void res.destroy();
    send(res, 500, { error: 'internal error: the events were not stored, retry later' });
  }
}

/** The media type of the request, lower case, without parameters; "" when none was sent. */
export function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonType(type: string): boolean {
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

type Body = { ok: true; bytes: Buffer } | { ok: false; status: number; error: string };

/** The body, inflated when sent compressed, at most MAX_BODY after inflating; 4xx answers for the client's mistakes. */
export async function readBody(req: IncomingMessage): Promise<Body> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const inflate = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress }[encoding];
  if (!inflate && encoding !== 'identity')
    return { ok: false, status: 415, error: `unsupported Content-Encoding "${encoding}": send identity, gzip, deflate or br` };
  const stream: Readable = inflate ? req.pipe(inflate()) : req;
  try {
    return { ok: true, bytes: await getRawBody(stream, { limit: MAX_BODY, length: inflate ? undefined : req.headers['content-length'] }) };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 413) return { ok: false, status: 413, error: `body larger than ${MAX_BODY}: send fewer events per request` };
    if (typeof status === 'number' && status >= 400 && status < 500) return { ok: false, status: 400, error: (error as Error).message };
    if (inflate && typeof (error as { code?: unknown }).code === 'string') return { ok: false, status: 400, error: `body is not valid ${encoding}` };
    throw error;
  }
}

/**
 * Answers a request whose body was not (or not all) read, and closes the connection after the answer. Keeping
 * it alive would leave the unread rest of the body where the next request should start, so that request hangs;
 * draining it would let a client that declares a huge body hold us as long as it likes.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  req.resume();
  send(res, status, body, { ...headers, Connection: 'close' });
}

export function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
