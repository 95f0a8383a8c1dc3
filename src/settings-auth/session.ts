import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../crypto/safe-equal.js';

export const SESSION_COOKIE = 'fa_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const sessionSchema = z.object({
  /** operator: signed in with the admin token, admin of every organization; slack: a workspace member */
  kind: z.enum(['operator', 'slack']),
  /** the organization being managed (a Slack person always has theirs; an operator picks one) */
  org: z.string().optional(),
  /** the Slack user id (slack sessions) */
  user: z.string().optional(),
  name: z.string().optional(),
  /** random per session: CSRF tokens are derived from it */
  sid: z.string(),
  exp: z.number(),
});

export type Session = z.infer<typeof sessionSchema>;

/** Signs and reads the session cookie and derives its CSRF token; the key comes from deps.box.derive('settings-session'). */
export interface SessionCodec {
  create(input: Omit<Session, 'sid' | 'exp'>, now: number): Session;
  encode(session: Session): string;
  decode(cookie: string | undefined, now: number): Session | undefined;
  csrfToken(session: Session): string;
  checkCsrf(session: Session, token: unknown): boolean;
}

export function createSessionCodec(key: Buffer): SessionCodec {
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    create(input, now) {
      return { ...input, sid: randomBytes(16).toString('base64url'), exp: now + SESSION_TTL_MS };
    },
    encode(session) {
      const body = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
      return `${body}.${mac(`session:${body}`)}`;
    },
    decode(cookie, now) {
      if (!cookie) return undefined;
      const [body, signature] = cookie.split('.');
      if (!body || !signature || !safeEqual(signature, mac(`session:${body}`))) return undefined;
      try {
        const parsed = sessionSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        return parsed.success && parsed.data.exp > now ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    csrfToken(session) {
      return mac(`csrf:${session.sid}`);
    },
    checkCsrf(session, token) {
      return typeof token === 'string' && safeEqual(token, mac(`csrf:${session.sid}`));
    },
  };
}

/** Reads one cookie from a Cookie header; a value that is not valid percent-encoding counts as no cookie at all. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim());
  }
  return undefined;
}

function decodeCookieValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Anyone can send `%E0%A4%A`: a broken cookie is the same as none, and the person is asked to sign in.
    return undefined;
  }
}

/** Set-Cookie value: HttpOnly, SameSite=Lax, Secure behind https. */
export function cookieHeader(name: string, value: string, options: { maxAgeMs: number; secure: boolean; path?: string }): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/settings'}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeMs / 1000))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
