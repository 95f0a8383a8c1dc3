import { randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { AppDeps } from '../app-deps.js';
import { createStateStore } from '../slack/state-store.js';

export const OIDC_SCOPES = 'openid profile email';

export function oidcRedirectUri(deps: AppDeps): string {
  return `${deps.config.publicUrl}/settings/oidc/callback`;
}

/** Its own state secret: an install state can never finish a sign-in, nor the other way round. */
function stateStore(deps: AppDeps) {
  return createStateStore(deps.db, deps.box.derive('settings-oidc-state'));
}

/** The "Sign in with Slack" URL, with a signed one-use state and a nonce; undefined when Slack is off. */
export async function oidcAuthorizeUrl(deps: AppDeps): Promise<string | undefined> {
  const credentials = deps.config.slack;
  if (!credentials) return undefined;
  const nonce = randomBytes(16).toString('base64url');
  const state = await stateStore(deps).generateStateParam({ scopes: [], metadata: JSON.stringify({ nonce }) }, new Date(deps.now()));
  const url = new URL(deps.config.slackOpenIdAuthorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', credentials.clientId);
  url.searchParams.set('scope', OIDC_SCOPES);
  url.searchParams.set('redirect_uri', oidcRedirectUri(deps));
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  return url.toString();
}

export type OidcOutcome = { ok: true; teamId: string; userId: string; name: string | undefined } | { ok: false; reason: string };

/** Finishes "Sign in with Slack": checks the state, trades the code, reads who signed in. */
export async function completeOidc(deps: AppDeps, code: unknown, state: unknown): Promise<OidcOutcome> {
  const credentials = deps.config.slack;
  if (!deps.slack || !credentials) return { ok: false, reason: 'Sign in with Slack is off on this server.' };
  if (typeof code !== 'string' || typeof state !== 'string' || !code || !state) return { ok: false, reason: 'The sign-in link is incomplete. Start again.' };
  try {
    await stateStore(deps).verifyStateParam(new Date(deps.now()), state);
  } catch {
    return { ok: false, reason: 'The sign-in link expired or was already used. Start again.' };
  }
  try {
    const api = new WebClient(undefined, deps.slack.clientOptions);
    const token = await api.openid.connect.token({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      code,
      redirect_uri: oidcRedirectUri(deps),
    });
    if (!token.access_token) return { ok: false, reason: 'Slack did not confirm the sign-in. Start again.' };
    const info = await new WebClient(token.access_token, deps.slack.clientOptions).openid.connect.userInfo();
    const teamId = info['https://slack.com/team_id'];
    const userId = info['https://slack.com/user_id'];
    if (!teamId || !userId) return { ok: false, reason: 'Slack did not say which workspace you signed in to.' };
    return { ok: true, teamId, userId, name: info.name };
  } catch (error) {
    deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Sign in with Slack failed');
    return { ok: false, reason: 'Slack did not accept the sign-in. Start again.' };
  }
}
