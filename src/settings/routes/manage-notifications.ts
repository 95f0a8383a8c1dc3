import type { Request, Response, Router } from 'express';
import { parsePreference } from '../../experiments/preference-form.js';
import { verifyPreferenceLink, type LinkSubject } from '../../experiments/preference-link.js';
import { defaultPreference, preferencesOf, savePreference } from '../../experiments/preferences.repository.js';
import { findOrganization, type Organization } from '../../organizations/organizations.repository.js';
import { managePreferencesView } from '../views/experiment-notifications-view.js';
import { messageView } from '../views/sign-in-view.js';
import { preferenceErrorOf, preferenceValuesOf } from './experiment-notifications.js';
import type { SettingsContext } from './viewer.js';

/**
 * GET/POST /settings/notifications/manage: the page behind the "Manage your notifications" link in every
 * notification, for people who never sign in (email-only subscribers). The signed link names the
 * organization and the person; nothing else is trusted.
 */
export function registerManageNotifications(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  /** The link's organization and person, or an answer already sent: 400 when incomplete, 404 when not ours. */
  async function subjectOf(fields: Record<string, unknown>, res: Response): Promise<{ subject: LinkSubject; token: string; org: Organization } | undefined> {
    const { o, p, t } = fields;
    if ([o, p, t].some((v) => typeof v !== 'string' || v === '')) {
      res
        .status(400)
        .type('html')
        .send(messageView('Incomplete link', 'This link is missing a part. Open it again from the full address in your notification.'));
      return undefined;
    }
    const subject = verifyPreferenceLink(deps.box, { o, p, t });
    const org = subject ? await findOrganization(deps.db, subject.organizationId) : undefined;
    if (!subject || !org) {
      res
        .status(404)
        .type('html')
        .send(messageView('Link not valid', 'This link is not valid. Use the “Manage your notifications” link from a recent notification.'));
      return undefined;
    }
    return { subject, token: t as string, org };
  }

  router.get('/notifications/manage', async (req: Request, res) => {
    const found = await subjectOf(req.query, res);
    if (!found) return;
    const { subject, token, org } = found;
    const stored = (await preferencesOf(deps.db, org.id, [subject.person])).get(subject.person) ?? defaultPreference(subject.person);
    res.type('html').send(managePreferencesView({ subject, token, orgName: org.name, values: stored }));
  });

  // No session and no CSRF cookie here on purpose: the form carries the link's signature, which only the
  // recipient of the notification has, so another site cannot build a post that passes; and a post
  // changes only the one person the signature names.
  router.post('/notifications/manage', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const found = await subjectOf(body, res);
    if (!found) return;
    const { subject, token, org } = found;
    const parsed = parsePreference(subject.person, body.kinds, body.channel);
    if (!parsed.ok) {
      res
        .status(400)
        .type('html')
        .send(managePreferencesView({ subject, token, orgName: org.name, values: preferenceValuesOf(req), error: preferenceErrorOf(parsed) }));
      return;
    }
    await savePreference(deps.db, org.id, subject.person, parsed.preference, deps.now());
    res.type('html').send(
      managePreferencesView({
        subject,
        token,
        orgName: org.name,
        values: parsed.preference,
        notice: 'Saved. Your notifications follow this choice from now on.',
      }),
    );
  });
}
