import express, { type ErrorRequestHandler, type Express } from 'express';
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
import { messageView } from './views/sign-in-view.js';

/** The settings page under /settings: server-rendered HTML forms, signed session cookies, CSRF on every POST. */
export function registerSettings(http: Express, deps: AppDeps, alertOps: AlertOperationsDeps): void {
  const sourceOps = { db: deps.db, box: deps.box, sources: deps.sources, publicUrl: deps.config.publicUrl, now: () => deps.now() };
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
  router.use((_req, res, next) => {
    res.set({ 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    next();
  });
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
