import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { findDelivery } from '../../../delivery/deliveries.repository.js';
import { loadContents } from '../../../delivery/delivery-content.js';
import { buildChangeDetailsView } from '../../../formatting/change-details-view.js';
import { can } from '../../../roles/roles.js';
import { roleOf } from '../../../roles/role-of.js';
import { organizationIdOf } from '../../installation-store.js';

/** "View details" on a notification: the full change in a modal, for viewers and up of the message's workspace. */
export function viewChangeDetails(deps: AppDeps) {
  return async ({ ack, body, action, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
    await ack();
    const organizationId = organizationIdOf(context);
    const userId = body.user.id;
    const deliveryId = Number(action.value);
    const say = async (text: string): Promise<void> => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    if (!can.view(await roleOf(deps, organizationId, userId)))
      return say('You need at least the viewer role in Flag Alerts to see change details. Ask an admin.');
    // The delivery must be this workspace's: a button value from elsewhere finds nothing.
    const row = Number.isInteger(deliveryId) ? await findDelivery(deps.db, organizationId, deliveryId) : undefined;
    const [content] = row ? await loadContents(deps.db, [row]) : [];
    if (!content?.event || !content.alert) return say('That change is no longer available.');
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildChangeDetailsView({ event: content.event, alert: content.alert, receivedAt: content.receivedAt, detailsRef: String(deliveryId) }),
    });
  };
}
