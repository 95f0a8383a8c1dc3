import type { ChangeToFormat } from '../formatting/change.js';
import { buildChangeMessage, buildDigestMessages } from '../formatting/slack-message.js';
import type { SlackMessage } from '../formatting/change.js';
import { cancel, claimChannelBacklog, release } from './deliveries.repository.js';
import { cancelReason, loadContents, type DeliveryContent } from './delivery-content.js';
import type { SendContext } from './send-context.js';
import { recordOutcome } from './record-outcome.js';
import { holdChannel, takeChannelSlot } from './slack/channel-pacing.repository.js';

/** The most changes one digest message may carry; the rest go in the next one, a slot later. */
const MAX_PER_DIGEST = 100;

/**
 * The due deliveries of one channel: one post per pacing slot. When several changes wait, they go out
 * folded into one digest message (as many as fit); the rest wait for the channel's next slot.
 */
export async function sendSlackGroup(ctx: SendContext, group: DeliveryContent[]): Promise<void> {
  const { deps } = ctx;
  const now = deps.now();
  const cancelled = group.filter((c) => cancelReason(c) !== undefined);
  for (const c of cancelled) await cancel(deps.db, [Number(c.row.id)], cancelReason(c) ?? '', now);
  const sendable = group.filter((c) => cancelReason(c) === undefined).sort((a, b) => Number(a.row.id) - Number(b.row.id));
  const first = sendable[0];
  if (!first) return;
  if (!ctx.slack) {
    await recordOutcome(deps, sendable, { kind: 'dead', error: 'Slack is not configured on this Flag Alerts server' });
    return;
  }
  const key = { organizationId: first.row.organization_id, channelId: first.row.channel_id ?? '' };
  const slot = await takeChannelSlot(deps.db, key, now, ctx.channelIntervalMs);
  if (slot !== true) {
    await release(
      deps.db,
      sendable.map((c) => Number(c.row.id)),
      slot.freeAt,
      now,
    );
    ctx.wakeAt(slot.freeAt);
    return;
  }
  // The slot is ours: the channel's other waiting changes (claimed by no one) join this digest.
  const backlog = await claimChannelBacklog(deps.db, deps.dialect, {
    ...key,
    before: now + 2 * ctx.channelIntervalMs,
    limit: MAX_PER_DIGEST - sendable.length,
    now,
    leaseMs: ctx.leaseMs,
    workerId: ctx.workerId,
  });
  for (const c of await loadContents(deps.db, backlog)) {
    const reason = cancelReason(c);
    if (reason) await cancel(deps.db, [Number(c.row.id)], reason, now);
    else sendable.push(c);
  }
  sendable.sort((a, b) => Number(a.row.id) - Number(b.row.id));
  const changes = sendable.map((c) => toChange(ctx, c));
  const { message, count } = firstMessage(changes.slice(0, MAX_PER_DIGEST));
  const carried = sendable.slice(0, count);
  const rest = sendable.slice(count);
  const outcome = await ctx.slack.post(key.organizationId, { channel: key.channelId, ...message }, first.alert?.createdBy ?? '');
  // The pace counts from when the post reached Slack, not from when the slot was taken (building a digest takes time).
  const postedAt = deps.now();
  const nextSlot = postedAt + (outcome.kind === 'retry' && outcome.retryAfterMs !== undefined ? outcome.retryAfterMs : ctx.channelIntervalMs);
  await holdChannel(deps.db, key, nextSlot);
  await recordOutcome(deps, carried, outcome, ctx.slack);
  await release(
    deps.db,
    rest.map((c) => Number(c.row.id)),
    nextSlot,
    now,
  );
  if (rest.length > 0) ctx.wakeAt(nextSlot);
}

function toChange(ctx: SendContext, c: DeliveryContent): ChangeToFormat {
  if (!c.event || !c.alert) throw new Error('a sendable delivery has its change and alert');
  return {
    event: c.event,
    alert: c.alert,
    receivedAt: c.receivedAt,
    detailsRef: String(c.row.id),
    ...(ctx.deps.config.flagUrlTemplate ? { flagUrlTemplate: ctx.deps.config.flagUrlTemplate } : {}),
    isTest: c.row.kind !== 'change',
  };
}

/** The longest run of waiting changes that fits in one message (one change always does). */
function firstMessage(changes: ChangeToFormat[]): { message: SlackMessage; count: number } {
  const only = changes[0];
  if (changes.length === 1 && only) return { message: buildChangeMessage(only), count: 1 };
  let low = 1;
  let high = changes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (buildDigestMessages(changes.slice(0, mid)).length === 1) low = mid;
    else high = mid - 1;
  }
  const fitted = buildDigestMessages(changes.slice(0, low))[0];
  if (!fitted) throw new Error('a digest of waiting changes has a message');
  return { message: fitted, count: low };
}
