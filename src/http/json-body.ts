import type { ValidationIssue } from './validation-issues.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type Decoded = { ok: true; value: unknown } | { ok: false; error: string; issues: ValidationIssue[] };

/** Request bytes → JSON value, with a 400-ready reason for empty, non-UTF-8, malformed or too deeply nested bodies. */
export function decodeJson(body: Buffer): Decoded {
  if (body.length === 0) return { ok: false, error: 'empty body', issues: [{ path: '(body)', message: 'expected a JSON event or {"events": [...]}' }] };
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
