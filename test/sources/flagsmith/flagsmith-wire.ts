import { createHmac } from 'node:crypto';

/**
 * The bytes Flagsmith sends: Python's `json.dumps(data, sort_keys=True)` (api/webhooks/webhooks.py), i.e. sorted keys,
 * ", " and ": " separators, non-ASCII escaped as \uXXXX. Written out here so the tests do not trust our own code.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/** Flagsmith's `sign_payload`: hex HMAC-SHA256, key = the secret as UTF-8, message = the body string as UTF-8. */
export function flagsmithSignature(secret: string, raw: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex');
}
