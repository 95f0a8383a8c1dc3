import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import type { AlertOperationsDeps } from '../alerts/operations/deps.js';
import { createSessionCodec } from '../settings-auth/session.js';
import { registerAlertActions } from './routes/alert-actions.js';
import { registerAlerts } from './routes/alerts.js';
import { registerDashboard } from './routes/dashboard.js';
import { registerExperimentNotifications } from './routes/experiment-notifications.js';
import { registerIngestKeys } from './routes/ingest-keys.js';
import { registerManageNotifications } from './routes/manage-notifications.js';
import { registerOrganizations } from './routes/organizations.js';
import { registerSignIn } from './routes/sign-in.js';
import { registerSlackConnection } from './routes/slack-connection.js';
import { registerSources } from './routes/sources.js';
import type { SettingsContext } from './routes/viewer.js';
import { SETTINGS_SCRIPT, SETTINGS_SCRIPT_PATH, SETTINGS_STYLE, SETTINGS_STYLE_PATH } from './views/assets.js';
import { messageView } from './views/sign-in-view.js';

/** The settings page under /settings: server-rendered HTML forms, signed session cookies, CSRF on every POST. */
export function registerSettings(http: Express, deps: AppDeps, alertOps: AlertOperationsDeps): void {
  const sourceOps = {
    db: deps.db,
    box: deps.box,
    sources: deps.sources,
    publicUrl: deps.config.publicUrl,
    now: () => deps.now(),
    knownSources: deps.knownSources,
  };
  const ctx: SettingsContext = { deps, alertOps, sourceOps, sessions: createSessionCodec(deps.box.derive('settings-session')) };
  const router = express.Router();
  // Parsed here only: Bolt reads /slack/events' raw body itself.
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));
  // No browser sends U+0000 in a form, and PostgreSQL text cannot store it: refuse such a post before any route.
  router.use((req, res, next) => {
    const values = Object.values((req.body ?? {}) as Record<string, unknown>);
    if (values.some((v) => typeof v === 'string' && v.includes('\u0000')))
      return void res.status(400).type('text').send('A form field contains a NUL character; remove it and send again.');
    next();
  });
  const headers = securityHeaders(deps.config.publicUrl);
  router.use((_req, res, next) => {
    res.set(headers);
    next();
  });
  serveAssets(router);
  registerSignIn(router, ctx);
  registerDashboard(router, ctx);
  registerOrganizations(router, ctx);
  registerSlackConnection(router, ctx);
  registerAlerts(router, ctx);
  registerAlertActions(router, ctx);
  registerIngestKeys(router, ctx);
  registerSources(router, ctx);
  registerExperimentNotifications(router, ctx);
  registerManageNotifications(router, ctx);
  // Express knows an error handler by its four parameters, so the unused `_next` stays.
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const status =
      typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' && error.status < 500 ? error.status : 500;
    if (status >= 500) deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'settings page failed');
    res
      .status(status)
      .type('html')
      .send(
        messageView(
          status >= 500 ? 'Something went wrong' : 'Cannot do that',
          status >= 500 ? 'The server could not finish this. Try again; the log has details.' : 'The form could not be read.',
          { href: '/settings', label: 'Back to settings' },
        ),
      );
  };
  router.use(onError);
  http.use('/settings', router);
}

/**
 * Every settings response: no framing, no inline or foreign script or style (the page's script and stylesheet
 * are served files), forms post only here, no powerful browser features, and HSTS when people reach us over https.
 */
export function securityHeaders(publicUrl: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'Permissions-Policy': 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  // A year, without includeSubDomains: other hosts under the same domain are not ours to pin to https.
  if (publicUrl.startsWith('https://')) headers['Strict-Transport-Security'] = 'max-age=31536000';
  return headers;
}

/** The page's stylesheet and script; they hold no secret, so they may be cached for a while. */
function serveAssets(router: Router): void {
  const prefix = '/settings';
  for (const [path, type, text] of [
    [SETTINGS_STYLE_PATH, 'text/css', SETTINGS_STYLE],
    [SETTINGS_SCRIPT_PATH, 'text/javascript', SETTINGS_SCRIPT],
  ] as const) {
    router.get(path.slice(prefix.length), (_req, res) => {
      res.set('Cache-Control', 'public, max-age=300').type(type).send(text);
    });
  }
}
