import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Probes and scrapes run every few seconds; a line each would bury the requests people look for. */
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

/** The route pattern a handler served a request with, set by whoever routed it (the event routes here, Express otherwise). */
const patterns = new WeakMap<IncomingMessage, string>();

export function setRoutePattern(req: IncomingMessage, pattern: string): void {
  patterns.set(req, pattern);
}

/**
 * One line per request once its response ended or its connection closed: method, route pattern (never the raw
 * path, which may carry ids and secrets, nor the query), status and duration. Wraps the whole listener, so the
 * event routes served on node:http and Express's routes are logged alike.
 */
export function withRequestLog(logger: Logger, next: RequestListener): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (UNLOGGED.has(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path)) return next(req, res);
    const started = performance.now();
    res.once('close', () => {
      const fields = {
        method: req.method,
        route: patterns.get(req) ?? expressPattern(req) ?? 'unmatched',
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        // The client went away before the answer was written in full.
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.warn(fields, 'request');
      else logger.info(fields, 'request');
    });
    next(req, res);
  };
}

/** Express leaves the matched route and its router's mount path on the request (the same object node:http made). */
function expressPattern(req: IncomingMessage): string | undefined {
  const routed = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const path = routed.route?.path;
  if (path === undefined) return undefined;
  // A route given as a RegExp or a list has no single pattern string; name it by its source.
  const pattern = typeof path === 'string' ? path : path instanceof RegExp ? path.source : Array.isArray(path) ? path.join('|') : 'unnamed route';
  return `${routed.baseUrl ?? ''}${pattern}`;
}
