import type { KnownBlock } from '@slack/types';
import type { Alert } from '../alerts/alert.js';
import { flagOf, type FlagEvent } from '../flag-change/model.js';

export interface ChangeToFormat {
  event: FlagEvent;
  alert: Pick<Alert, 'id' | 'name' | 'projectId' | 'scope'>;
  /** unix ms, used when occurredAt is absent */
  receivedAt: number;
  /** value carried by the "View details" button (the delivery id) */
  detailsRef: string;
  /** e.g. https://flags.example.com/p/{projectId}/flags/{flagId} */
  flagUrlTemplate?: string;
  /** test/sample notification: said visibly at the top */
  isTest?: boolean;
}

/** `text` is the plain-text fallback (notifications, screen readers); Slack reads it as mrkdwn, so it is escaped too. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export type ChangeVerb = 'created' | 'deleted' | 'activated' | 'deactivated' | 'updated';

/** Activation and deactivation are what people care about most, so they get their own verb. */
export function verbOf(event: FlagEvent): ChangeVerb {
  if (event.action !== 'updated') return event.action;
  // With no previous state, being on now is no activation.
  if (!event.oldFlag) return 'updated';
  const before = event.oldFlag?.enabled === true;
  const after = event.flag?.enabled === true;
  if (!before && after) return 'activated';
  if (before && !after) return 'deactivated';
  return 'updated';
}

/** occurredAt without an offset is read as UTC, so the same event formats the same everywhere. */
export function occurredAtMs(change: ChangeToFormat): number {
  const at = change.event.occurredAt;
  if (!at) return change.receivedAt;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(at);
  const ms = Date.parse(hasZone ? at : `${at}Z`);
  return Number.isNaN(ms) ? change.receivedAt : ms;
}

/** The "Open flag" link, or null without a template or when the result is no usable URL. */
export function flagUrl(change: ChangeToFormat): string | null {
  const flag = flagOf(change.event);
  if (!change.flagUrlTemplate || !flag) return null;
  const url = change.flagUrlTemplate
    .replaceAll('{projectId}', encodeURIComponent(String(change.event.projectId)))
    .replaceAll('{flagId}', encodeURIComponent(String(flag.id)));
  // Slack rejects the whole message for a button URL over 3000 characters.
  return /^https?:\/\//i.test(url) && url.length <= 3000 ? url : null;
}
