import { isIP } from 'node:net';
import type { Agent } from 'undici';
import { request } from 'undici';
import { isPrivateAddress } from '../../net/address-guard.js';
import { parseRetryAfter } from '../retry-policy.js';
import type { SendOutcome } from '../send-outcome.js';
import { signatureHeaders } from './webhook-signature.js';

export interface WebhookSend {
  url: string;
  signingKey: string;
  messageId: string;
  body: Record<string, unknown>;
}

export interface WebhookNotifier {
  send(input: WebhookSend): Promise<SendOutcome>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 10_000;
/** What we read of a response body before we stop caring (a huge body never fills memory). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** POSTs the signed body; only 2xx is success, redirects are not followed, 410 disables the alert. */
export function createWebhookNotifier(options: { agent: Agent; allowPrivate: boolean; userAgent: string; now: () => number }): WebhookNotifier {
  const { agent, allowPrivate, userAgent, now } = options;
  return {
    async send({ url, signingKey, messageId, body }) {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return { kind: 'dead', error: 'the webhook URL is not a valid URL' };
      }
      // The agent's lookup guards host names; an IP literal is never looked up, so guard it here.
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
        return { kind: 'dead', error: `the webhook address ${host} is private or reserved` };
      }
      const raw = JSON.stringify(body);
      try {
        const res = await request(target, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            ...signatureHeaders({ signingKey, messageId, body: raw, nowMs: now() }),
          },
          body: raw,
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        });
        await res.body.dump({ limit: MAX_RESPONSE_BYTES }).catch(() => undefined);
        return outcomeOf(res.statusCode, res.headers['retry-after']);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code === 'EADDRBLOCKED') return { kind: 'dead', error: e.message };
        return { kind: 'retry', error: `${e.code ?? 'network error'}: ${e.message}` };
      }
    },
    close: () => agent.close(),
  };
}

function outcomeOf(status: number, retryAfter: string | string[] | undefined): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  if (status === 410) return { kind: 'dead', statusCode: status, error: 'the receiver answered 410 Gone: alert disabled', alertStatus: 'disabled' };
  if (status === 429 || status >= 500 || status === 408) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return { kind: 'retry', statusCode: status, error: `the receiver answered ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status >= 300 && status < 400) return { kind: 'dead', statusCode: status, error: `the receiver answered ${status} (redirects are not followed)` };
  return { kind: 'dead', statusCode: status, error: `the receiver answered ${status}` };
}
