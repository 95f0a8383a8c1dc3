import type { Router } from 'express';
import { findOrganization } from '../../organizations/organizations.repository.js';
import { createWebhookOnlyOrganization, listOrganizations } from '../../organizations/organizations.repository.js';
import { organizationsView } from '../views/organizations-view.js';
import { CONTROL_CHARACTERS_HINT, hasControlCharacters } from '../../text/control-characters.js';
import { bodyText, headerOf, refuse, setSession, viewerOf, type SettingsContext } from './viewer.js';

/** The operator picks which organization to manage, or creates a webhook-only one. */
export function registerOrganizations(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  router.get('/organizations', async (req, res) => {
    const viewer = await viewerOf(ctx, req);
    if (!viewer) return void res.redirect(303, '/settings');
    if (viewer.session.kind !== 'operator') return void res.redirect(303, '/settings');
    res.type('html').send(organizationsView({ header: headerOf(viewer), orgs: await listOrganizations(deps.db), slackEnabled: deps.slack !== undefined }));
  });

  router.post('/organizations/select', async (req, res) => {
    const viewer = await viewerOf(ctx, req);
    if (!viewer || viewer.session.kind !== 'operator' || !ctx.sessions.checkCsrf(viewer.session, bodyText(req, '_csrf'))) {
      return refuse(res, 403, 'Only the operator can switch organizations, from this page.');
    }
    const org = await findOrganization(deps.db, bodyText(req, 'organizationId'));
    if (!org) return refuse(res, 404, 'There is no such organization.');
    setSession(ctx, req, res, { ...viewer.session, org: org.id });
    res.redirect(303, '/settings');
  });

  router.post('/organizations', async (req, res) => {
    const viewer = await viewerOf(ctx, req);
    if (!viewer || viewer.session.kind !== 'operator' || !ctx.sessions.checkCsrf(viewer.session, bodyText(req, '_csrf'))) {
      return refuse(res, 403, 'Only the operator can create organizations, from this page.');
    }
    const name = bodyText(req, 'name').trim();
    if (!name || name.length > 80 || hasControlCharacters(name)) {
      res
        .status(400)
        .type('html')
        .send(
          organizationsView({
            header: headerOf(viewer),
            orgs: await listOrganizations(deps.db),
            slackEnabled: deps.slack !== undefined,
            error: hasControlCharacters(name) ? `Organization name: ${CONTROL_CHARACTERS_HINT}.` : 'Organization name: give a name of 1 to 80 characters.',
          }),
        );
      return;
    }
    const id = await createWebhookOnlyOrganization(deps.db, name, deps.now());
    setSession(ctx, req, res, { ...viewer.session, org: id });
    res.redirect(303, '/settings?notice=org-created');
  });
}
