import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('seals to text that hides the secret and opens back to it', () => {
    const sealed = box.seal('xoxb-secret-token');
    expect(sealed).not.toContain('xoxb');
    expect(box.open(sealed)).toBe('xoxb-secret-token');
    expect(box.seal('xoxb-secret-token')).not.toBe(sealed);
  });

  it('refuses a tampered or foreign ciphertext', () => {
    const sealed = box.seal('whsec_abc');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
