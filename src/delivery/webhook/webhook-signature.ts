import { createHmac } from 'node:crypto';

/**
 * The two signature schemes of contract section 4, over the exact bytes we send:
 * Amplitude's `x-knock-signature` and Standard Webhooks' `webhook-signature`.
 */
export function signatureHeaders(input: { signingKey: string; messageId: string; body: string; nowMs: number }): Record<string, string> {
  const { signingKey, messageId, body, nowMs } = input;
  const knock = createHmac('sha256', Buffer.from(signingKey, 'utf8')).update(`${nowMs}.${body}`).digest('base64');
  const seconds = Math.floor(nowMs / 1000);
  const standard = createHmac('sha256', standardWebhooksKey(signingKey)).update(`${messageId}.${seconds}.${body}`).digest('base64');
  return {
    'x-knock-signature': `t=${nowMs},s=${knock}`,
    'webhook-id': messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': `v1,${standard}`,
  };
}

/** `whsec_<base64>` keys sign with the decoded bytes; any other key with its UTF-8 bytes. */
function standardWebhooksKey(signingKey: string): Buffer {
  return signingKey.startsWith('whsec_') ? Buffer.from(signingKey.slice('whsec_'.length), 'base64') : Buffer.from(signingKey, 'utf8');
}
