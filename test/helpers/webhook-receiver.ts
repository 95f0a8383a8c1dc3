import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

/**
 * A webhook receiver as a customer would write it, straight from the two published schemes
 * (written independently of the app's signing code): Amplitude's x-knock-signature and Standard Webhooks.
 */
export function verifyKnockSignature(header: string | undefined, rawBody: string, signingKey: string, nowMs = Date.now(), toleranceMs = 5 * 60_000): boolean {
  // Split at the first '=' only: base64 signatures end in '=' padding.
  const parts = new Map((header ?? '').split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
  const t = parts.get('t');
  const s = parts.get('s');
  if (!t || !s || Math.abs(nowMs - Number(t)) > toleranceMs) return false;
  const expected = createHmac('sha256', signingKey).update(`${t}.${rawBody}`).digest('base64');
  return safeEqual(expected, s);
}

export function verifyStandardWebhook(headers: IncomingHttpHeaders, rawBody: string, signingKey: string, nowMs = Date.now(), toleranceS = 300): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > toleranceS) return false;
  const secret = signingKey.startsWith('whsec_') ? Buffer.from(signingKey.slice(6), 'base64') : Buffer.from(signingKey);
  const expected = createHmac('sha256', secret).update(`${id}.${timestamp}.${rawBody}`).digest('base64');
  // The header may carry several space-separated signatures ("v1,<sig> v1,<sig2>").
  return signatures.split(' ').some((sig) => sig.startsWith('v1,') && safeEqual(expected, sig.slice(3)));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  knockValid: boolean;
  standardValid: boolean;
  at: number;
}

/** How the receiver answers the next requests (a queue; empty means 200). */
export type ReceiverAnswer = { status: number; headers?: Record<string, string>; body?: string } | { hangMs: number } | { destroy: true };

/** A real HTTP server on 127.0.0.1 that verifies both signatures of everything it receives. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly answers: ReceiverAnswer[] = [];
  private server: Server | undefined;
  url = '';
  /** the clock each webhook's `at` is read from: the app's test clock when the test moves time */
  now: () => number = Date.now;

  constructor(readonly signingKey: string) {}

  async start(): Promise<this> {
    return this.startOn(0);
  }

  /** Listens on a given port (0: any free one). */
  async startOn(port: number): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          /* recorded as is */
        }
        this.received.push({
          headers: req.headers,
          rawBody,
          body,
          knockValid: verifyKnockSignature(req.headers['x-knock-signature'] as string | undefined, rawBody, this.signingKey),
          standardValid: verifyStandardWebhook(req.headers, rawBody, this.signingKey),
          at: this.now(),
        });
        this.answer(res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    return this;
  }

  private answer(res: ServerResponse): void {
    const next = this.answers.shift();
    if (!next) return void res.writeHead(200).end('ok');
    if ('destroy' in next) return void res.destroy();
    if ('hangMs' in next) return void setTimeout(() => res.writeHead(200).end('late'), next.hangMs);
    res.writeHead(next.status, next.headers).end(next.body ?? '');
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`receiver got ${this.received.length} of ${count} webhooks within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
