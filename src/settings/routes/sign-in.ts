import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { isAdminToken } from '../../settings-auth/admin-token.js';
import { completeOidc, oidcAuthorizeUrl } from '../../settings-auth/oidc.js';
import { safeEqual } from '../../crypto/safe-equal.js';
import { cookieHeader, readCookie } from '../../settings-auth/session.js';
import { endSession, recordSession } from '../../settings-auth/session-records.js';
import { findLiveInstallation } from '../../installations/installations.repository.js';
import { messageView, notInstalledView, signInView } from '../views/sign-in-view.js';
import { clearSession, setSession, viewerOf, type SettingsContext } from './viewer.js';

const OIDC_COOKIE = 'fa_oidc';

function stateDigest(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

/** Sign in with the admin token or with Slack (OpenID Connect), and sign out. */
export function registerSignIn(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  async function signInOperator(req: Request, res: Response, token: unknown): Promise<void> {
    // With TRUST_PROXY unset this is the socket's peer: a client's X-Forwarded-For cannot make it anyone else.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const admission = deps.loginThrottle.admit(address, deps.now());
    if (!admission.ok) {
      const seconds = Math.ceil(admission.retryAfterMs / 1000);
      res
        .status(429)
        .set('Retry-After', String(seconds))
        .type('html')
        .send(signInView({ slackEnabled: deps.slack !== undefined, error: `Too many sign-in attempts. Try again in ${waitText(seconds)}.` }));
      return;
    }
    if (!(await isAdminToken(deps, token))) {
      // The address and the count, never what was typed: a near miss of the real token must not reach the log.
      deps.logger.warn(
        { address, attempt: admission.attempt, ...(admission.lockoutMs ? { lockedForSeconds: admission.lockoutMs / 1000 } : {}) },
        'settings sign-in: wrong admin token',
      );
      res
        .status(403)
        .type('html')
        .send(signInView({ slackEnabled: deps.slack !== undefined, error: 'That admin token is not right.' }));
      return;
    }
    deps.loginThrottle.succeeded(address);
    const session = ctx.sessions.create({ kind: 'operator' }, deps.now());
    await recordSession(deps, session, deps.now());
    setSession(ctx, req, res, session);
    // Redirect at once, so the token leaves the address bar and the history.
    res.redirect(303, '/settings/organizations');
  }

  // The link printed on first start.
  router.get('/login', (req, res) => signInOperator(req, res, req.query.token));
  router.post('/login', (req, res) => signInOperator(req, res, (req.body as Record<string, unknown> | undefined)?.token));

  router.post('/logout', async (req, res) => {
    const viewer = await viewerOf(ctx, req);
    if (viewer && !ctx.sessions.checkCsrf(viewer.session, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      res.status(403).type('html').send(messageView('Not allowed', 'This form expired. Reload the page and try again.'));
      return;
    }
    if (viewer) await endSession(deps, viewer.session);
    clearSession(ctx, req, res);
    res.redirect(303, '/settings');
  });

  router.get('/oidc/start', async (_req, res) => {
    const url = await oidcAuthorizeUrl(deps);
    if (!url) {
      res
        .status(400)
        .type('html')
        .send(signInView({ slackEnabled: false, error: 'Sign in with Slack is off on this server.' }));
      return;
    }
    // Ties the state to this browser: a sign-in link made for someone else's browser does not sign you in.
    const state = new URL(url).searchParams.get('state') ?? '';
    res.append(
      'Set-Cookie',
      cookieHeader(OIDC_COOKIE, stateDigest(state), { maxAgeMs: 10 * 60 * 1000, secure: deps.config.publicUrl.startsWith('https://'), path: '/settings/oidc' }),
    );
    res.redirect(302, url);
  });

  router.get('/oidc/callback', async (req, res) => {
    if (typeof req.query.error === 'string') {
      res
        .status(400)
        .type('html')
        .send(signInView({ slackEnabled: deps.slack !== undefined, error: 'Slack sign-in was cancelled.' }));
      return;
    }
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const bound = readCookie(req.headers.cookie, OIDC_COOKIE);
    if (!bound || !safeEqual(bound, stateDigest(state))) {
      res
        .status(400)
        .type('html')
        .send(signInView({ slackEnabled: deps.slack !== undefined, error: 'This sign-in did not start in this browser. Start again.' }));
      return;
    }
    res.append('Set-Cookie', cookieHeader(OIDC_COOKIE, '', { maxAgeMs: 0, secure: deps.config.publicUrl.startsWith('https://'), path: '/settings/oidc' }));
    const outcome = await completeOidc(deps, req.query.code, state);
    if (!outcome.ok) {
      res
        .status(400)
        .type('html')
        .send(signInView({ slackEnabled: deps.slack !== undefined, error: outcome.reason }));
      return;
    }
    if (!(await findLiveInstallation(deps.db, outcome.teamId))) {
      res
        .status(200)
        .type('html')
        .send(notInstalledView(outcome.teamId, deps.slack !== undefined));
      return;
    }
    const session = ctx.sessions.create(
      { kind: 'slack', org: outcome.teamId, user: outcome.userId, ...(outcome.name ? { name: outcome.name } : {}) },
      deps.now(),
    );
    await recordSession(deps, session, deps.now());
    setSession(ctx, req, res, session);
    res.redirect(303, '/settings');
  });
}

function waitText(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
