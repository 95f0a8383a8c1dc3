import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from './event-routes.js';

/** The probes answer while draining: /readyz says 503 so the load balancer stops sending, /healthz stays live. */
const PROBES = new Set(['/healthz', '/readyz']);

/** Requests being served, and whether a shutdown has begun; owned by the composition root. */
export interface Drain {
  draining: boolean;
  /** resolves once no request is being served */
  idle(): Promise<void>;
}

export function createDrain(): Drain & { wrap(next: RequestListener): RequestListener } {
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const w of waiters.splice(0)) w();
  };
  const drain = {
    draining: false,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    /** Counts each request until its answer is sent; once draining, refuses new work with 503 and Connection: close. */
    wrap(next: RequestListener): RequestListener {
      return (req: IncomingMessage, res: ServerResponse) => {
        if (drain.draining && !PROBES.has((req.url ?? '/').split('?', 1)[0] ?? '/')) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', connection: 'close' });
          res.end(JSON.stringify({ error: 'shutting down: retry on another instance' }));
          return;
        }
        inFlight += 1;
        res.once('close', done);
        next(req, res);
      };
    },
  };
  return drain;
}
