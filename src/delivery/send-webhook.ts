import { openSigningKey } from '../alerts/alerts.repository.js';
import { buildWebhookBody } from '../formatting/webhook-body.js';
import { cancel } from './deliveries.repository.js';
import { cancelReason, type DeliveryContent } from './delivery-content.js';
import type { SendContext } from './send-context.js';
import { recordOutcome } from './record-outcome.js';

/** One webhook delivery: the signed Amplitude body to the alert's URL, then its outcome recorded. */
export async function sendWebhook(ctx: SendContext, content: DeliveryContent): Promise<void> {
  const { deps } = ctx;
  const reason = cancelReason(content);
  const { alert, event } = content;
  if (reason || !alert || !event || alert.destination.type !== 'webhook') {
    await cancel(deps.db, [Number(content.row.id)], reason ?? 'the alert is not a webhook alert', deps.now());
    return;
  }
  const signingKey = openSigningKey(deps.box, alert) ?? '';
  const outcome = await ctx.webhook.send({
    url: alert.destination.url,
    signingKey,
    messageId: content.row.message_id,
    body: buildWebhookBody({ event, alert }),
  });
  await recordOutcome(deps, [content], outcome);
}
