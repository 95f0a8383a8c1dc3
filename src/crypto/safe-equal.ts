import { timingSafeEqual } from 'node:crypto';

/** String equality in constant time for equal lengths, so comparing a secret (MAC, token hash) leaks no prefix. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
