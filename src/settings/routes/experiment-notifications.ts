import type { Request, Router } from 'express';
import { setReminderOffsets, setSrmThreshold } from '../../experiments/experiments.repository.js';
import { parsePreference } from '../../experiments/preference-form.js';
import { savePreference } from '../../experiments/preferences.repository.js';
import { can } from '../../roles/roles.js';
import { parseReminderHours } from '../reminder-hours.js';
import { parseSrmThreshold } from '../srm-threshold.js';
import type { PreferenceError, PreferenceValues } from '../views/experiment-notifications-view.js';
import { renderDashboard } from './dashboard.js';
import { authorizePost, bodyText, refuse, type SettingsContext } from './viewer.js';

/** The posted kinds and channel as text, to show again after an error. */
export function preferenceValuesOf(req: Request): PreferenceValues {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const kinds = Array.isArray(body.kinds) ? body.kinds : [body.kinds];
  return { kinds: kinds.filter((k): k is string => typeof k === 'string'), channel: typeof body.channel === 'string' ? body.channel : '' };
}

/** parsePreference's refusal, worded with the label of the field it is about. */
export function preferenceErrorOf(e: { field: PreferenceError['field']; reason: string }): PreferenceError {
  return { field: e.field, reason: `${e.field === 'kinds' ? 'Notify me when' : 'By'}: ${e.reason}.` };
}

/** Experiment notifications on the dashboard: a person's own choice, and the organization's reminder hours and SRM threshold (admins). */
export function registerExperimentNotifications(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  router.post('/notifications', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.view);
    if (!viewer) return;
    const person = viewer.session.kind === 'slack' ? viewer.session.user : undefined;
    if (!person) return refuse(res, 403, 'Only a person signed in with Slack has notifications of their own.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parsePreference(person, body.kinds, body.channel);
    if (!parsed.ok) {
      res
        .status(400)
        .type('html')
        .send(
          await renderDashboard(ctx, viewer, {
            error: 'Check your experiment notifications below.',
            preference: { values: preferenceValuesOf(req), error: preferenceErrorOf(parsed) },
          }),
        );
      return;
    }
    await savePreference(deps.db, viewer.org.id, person, parsed.preference, deps.now());
    res.redirect(303, '/settings?notice=preferences-saved#experiment-notifications');
  });

  router.post('/experiment-reminders', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.administer);
    if (!viewer) return;
    const typed = bodyText(req, 'hours');
    const parsed = parseReminderHours(typed);
    if (!parsed.ok) {
      const error = `Hours before start and end: ${parsed.reason}.`;
      res
        .status(400)
        .type('html')
        .send(await renderDashboard(ctx, viewer, { error: 'Check the experiment reminder hours below.', reminders: { value: typed, error } }));
      return;
    }
    await setReminderOffsets(deps.db, viewer.org.id, parsed.offsetsMs, deps.now());
    res.redirect(303, '/settings?notice=reminders-saved#experiment-reminders');
  });

  router.post('/srm-threshold', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.administer);
    if (!viewer) return;
    const typed = bodyText(req, 'threshold');
    const parsed = parseSrmThreshold(typed);
    if (!parsed.ok) {
      const error = `Sample-ratio mismatch threshold: ${parsed.reason}.`;
      res
        .status(400)
        .type('html')
        .send(await renderDashboard(ctx, viewer, { error: 'Check the sample-ratio mismatch threshold below.', srmThreshold: { value: typed, error } }));
      return;
    }
    await setSrmThreshold(deps.db, viewer.org.id, parsed.threshold, deps.now());
    res.redirect(303, '/settings?notice=srm-threshold-saved#experiment-reminders');
  });
}
