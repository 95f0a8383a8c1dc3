import type { Kysely } from 'kysely';
import type { Alert } from '../alerts/alert.js';
import { findAlertsByIds } from '../alerts/alerts.repository.js';
import type { FlagEvent } from '../flag-change/model.js';
import { findFlagEventsByIds } from '../flag-events/flag-events.repository.js';
import type { Database } from '../storage/schema.js';
import type { DeliveryRow } from './deliveries.repository.js';

export interface DeliveryContent {
  row: DeliveryRow;
  alert: Alert | undefined;
  event: FlagEvent | undefined;
  /** when the change was accepted (for latency and "when") */
  receivedAt: number;
}

/** Loads, in two queries, the alert and the change every claimed delivery needs. */
export async function loadContents(db: Kysely<Database>, rows: DeliveryRow[]): Promise<DeliveryContent[]> {
  const alertIds = [...new Set(rows.map((r) => Number(r.alert_id)))];
  const eventIds = [...new Set(rows.flatMap((r) => (r.flag_event_id === null ? [] : [Number(r.flag_event_id)])))];
  const [alertList, eventRows] = await Promise.all([
    alertIds.length ? findAlertsByIds(db, alertIds) : [],
    eventIds.length ? findFlagEventsByIds(db, eventIds) : [],
  ]);
  const alerts = new Map(alertList.map((a) => [a.id, a]));
  const events = new Map(eventRows.map((e) => [Number(e.id), e]));
  return rows.map((row) => {
    // The organization is checked on both sides: a row can only carry its own tenant's alert and change.
    const alert = alerts.get(Number(row.alert_id));
    const stored = row.flag_event_id === null ? undefined : events.get(Number(row.flag_event_id));
    const sameOrg = (org: string | undefined) => org === row.organization_id;
    const payload = stored && sameOrg(stored.organization_id) ? stored.payload : row.payload;
    return {
      row,
      alert: alert && sameOrg(alert.organizationId) ? alert : undefined,
      event: payload ? (JSON.parse(payload) as FlagEvent) : undefined,
      receivedAt: stored?.received_at ?? row.created_at,
    };
  });
}

/** Changes wait while their alert is paused or cannot work; tests go out regardless of status. */
export function cancelReason(content: DeliveryContent): string | undefined {
  if (!content.alert) return 'the alert no longer exists';
  if (!content.event) return 'the change could not be read';
  if (content.row.kind !== 'change') return undefined;
  const status = content.alert.status;
  return status === 'paused' || status === 'broken' || status === 'disabled' ? `the alert is ${status}` : undefined;
}
