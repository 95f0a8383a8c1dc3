import type { Logger } from 'pino';
import type { DeliveryContent } from './delivery-content.js';

/**
 * One log line per failed try (warn) and per dead delivery (error), for each alert the try carried: the
 * alert, the destination kind, the attempt and the reason. Never the URL, the signing key or a token: a
 * webhook is named by its host only, and the reason is scrubbed of anything URL- or token-like.
 */
export function logDeliveryFailure(
  logger: Logger,
  contents: DeliveryContent[],
  failure: { dead: boolean; attempt: number; reason: string; statusCode: number | null },
): void {
  const byAlert = new Map<number, DeliveryContent[]>();
  for (const c of contents) {
    const alertId = Number(c.row.alert_id);
    byAlert.set(alertId, [...(byAlert.get(alertId) ?? []), c]);
  }
  for (const [alertId, carried] of byAlert) {
    const first = carried[0];
    if (!first) continue;
    const fields = {
      alertId,
      organizationId: first.row.organization_id,
      deliveryIds: carried.map((c) => Number(c.row.id)),
      destination: first.row.destination_type,
      ...destinationTarget(first),
      attempt: failure.attempt,
      ...(failure.statusCode === null ? {} : { statusCode: failure.statusCode }),
      reason: scrubReason(failure.reason),
    };
    if (failure.dead) logger.error(fields, 'delivery dead: no more tries');
    else logger.warn(fields, 'delivery try failed; will retry');
  }
}

function destinationTarget(content: DeliveryContent): { webhookHost?: string; channelId?: string } {
  const destination = content.alert?.destination;
  if (destination?.type === 'webhook') return { webhookHost: hostOf(destination.url) };
  if (content.row.channel_id) return { channelId: content.row.channel_id };
  return {};
}

/** The host (and port) only: a webhook URL's path, query and userinfo often carry the receiver's secret. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** Reasons come from receivers, sockets and Slack's client; a URL or token inside one is cut to what is safe. */
export function scrubReason(reason: string): string {
  return reason
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => `${safeOrigin(url)}/…`)
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox…[redacted]')
    .replace(/\bxapp-[A-Za-z0-9-]+/g, 'xapp-…[redacted]')
    .replace(/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_…[redacted]');
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '[url]';
  }
}
