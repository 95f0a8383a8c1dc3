import type { Router } from 'express';
import { createIngestKey, revokeIngestKey } from '../../ingest-keys/ingest-keys.repository.js';
import { can } from '../../roles/roles.js';
import { curlExample } from '../views/dashboard-view.js';
import { renderDashboard } from './dashboard.js';
import { CONTROL_CHARACTERS_HINT, hasControlCharacters } from '../../text/control-characters.js';
import { authorizePost, bodyText, idParam, refuse, type SettingsContext } from './viewer.js';

/** Ingest keys (admins): create (the key is shown once, on this response only), revoke. */
export function registerIngestKeys(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;
  router.post('/ingest-keys', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.administer);
    if (!viewer) return;
    const name = bodyText(req, 'name').trim();
    if (!name || name.length > 80 || hasControlCharacters(name)) {
      const error = hasControlCharacters(name) ? `Key name: ${CONTROL_CHARACTERS_HINT}.` : 'Key name: give a name of 1 to 80 characters.';
      res
        .status(400)
        .type('html')
        .send(await renderDashboard(ctx, viewer, { error }));
      return;
    }
    const created = await createIngestKey(deps.db, { organizationId: viewer.org.id, name, createdBy: viewer.actor }, deps.now());
    // Shown in this response only, never in a URL; no-store keeps it out of caches.
    res.set('Cache-Control', 'no-store');
    res.type('html').send(await renderDashboard(ctx, viewer, { createdKey: { key: created.key, curl: curlExample(deps.config.publicUrl, created.key) } }));
  });

  router.post('/ingest-keys/:id/revoke', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.administer);
    if (!viewer) return;
    const id = idParam(req);
    if (id === undefined || !(await revokeIngestKey(deps.db, deps.ingestKeys, viewer.org.id, id, deps.now())))
      return refuse(res, 404, 'There is no such active key.');
    res.redirect(303, '/settings?notice=key-revoked#ingest-keys');
  });
}
