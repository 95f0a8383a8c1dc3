import { randomBytes } from 'node:crypto';
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { draftFromState, parseMeta } from '../../views/alert-draft.js';
import { buildAlertModal } from '../../views/alert-modal.js';
import { modalState } from '../views/modal-catalog.js';
import { organizationOf } from './alert-access.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/** A whsec_ key: base64 of 24 random bytes, the Standard Webhooks form. */
export function generateSigningKey(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * Scope, destination or project changed, or "Generate key" was clicked: rebuild the modal from what is
 * typed so far (views.update), so the form adapts without losing anything. Saving is checked on submit.
 */
export function refreshAlertModal(deps: AppDeps, options: { generateKey?: boolean } = {}) {
  return async ({ ack, body, client, context, logger }: Args) => {
    await ack();
    const view = body.view;
    if (!view || view.type !== 'modal') return;
    let meta = parseMeta(view.private_metadata);
    const draft = draftFromState(view.state.values, meta);
    if (options.generateKey) {
      // A new block id, so Slack shows the generated key instead of keeping what was typed.
      meta = { ...meta, keyNonce: (meta.keyNonce ?? 0) + 1, keyGenerated: true };
      draft.signingKey = generateSigningKey();
    }
    const state = await modalState(deps, organizationOf(context), draft);
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: buildAlertModal({ meta, ...state }) });
    } catch (error) {
      // hash_conflict: a newer update already replaced this view; the person's next change refreshes it.
      logger.warn(`views.update failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
