import type { AppDeps } from '../app-deps.js';
import { collectCatalogEntries } from '../catalog/catalog-entries.js';
import { entriesToStore, rememberStored } from '../catalog/catalog-memo.js';
import { upsertCatalog } from '../catalog/catalog.repository.js';
import { alertsToNotify } from '../matching/alert-matches.js';
import { deploymentIdOf } from '../matching/flag-change.js';
import { alertsOfProjects } from '../matching/matching.repository.js';
import type { FlagEvent } from './flag-event.schema.js';
import { changeDelivery, insertDeliveries, insertFlagEvents } from './flag-events.repository.js';

const MAX_PREFILTER_DEPLOYMENTS = 1000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/**
 * Stores validated changes of one organization, fills its catalog and queues a delivery per matching alert,
 * all in one transaction. A repeated eventId (earlier, or within this batch) is acknowledged as a duplicate
 * and delivers nothing. Used by the ingest API and by `send-sample`.
 */
export async function ingestFlagEvents(deps: AppDeps, organizationId: string, events: FlagEvent[]): Promise<IngestResult> {
  const now = deps.now();
  const unique = firstOfEachEventId(events);
  const { accepted, deliveries, catalog } = await deps.db.transaction().execute(async (trx) => {
    const stored = await insertFlagEvents(trx, organizationId, unique, now);
    if (stored.length === 0) return { accepted: 0, deliveries: 0, catalog: undefined };
    const catalog = entriesToStore(deps.db, organizationId, collectCatalogEntries(stored.map((s) => s.event)));
    await upsertCatalog(trx, organizationId, catalog, now);

    // One indexed read for the batch's projects, however many events name them.
    const projects = new Set(stored.map((s) => s.event.projectId));
    const deployments = deploymentsNamed(stored.map((s) => s.event));
    // The deployment prefilter is only a shortcut; past a bound the list would overflow the statement's parameters.
    const touched = deployments.size <= MAX_PREFILTER_DEPLOYMENTS ? [...deployments] : undefined;
    const alertsByProject = await alertsOfProjects(trx, organizationId, [...projects], touched);
    const rows = stored.flatMap(({ id, event }) =>
      alertsToNotify(alertsByProject.get(event.projectId) ?? [], event).map((alert) => changeDelivery(organizationId, alert, id, now)),
    );
    await insertDeliveries(trx, rows);
    return { accepted: stored.length, deliveries: rows.length, catalog };
  });
  if (catalog) rememberStored(deps.db, organizationId, catalog);

  if (deliveries > 0) deps.outbox.wake();
  if (accepted > 0) deps.metrics.eventsIngested.inc({ organization: organizationId }, accepted);
  return { accepted, duplicates: events.length - accepted };
}

function deploymentsNamed(events: FlagEvent[]): Set<number> {
  const ids = new Set<number>();
  for (const event of events) {
    for (const flag of [event.flag, event.oldFlag]) for (const ref of flag?.deployments ?? []) ids.add(deploymentIdOf(ref));
  }
  return ids;
}

function firstOfEachEventId(events: FlagEvent[]): FlagEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (!event.eventId) return true;
    if (seen.has(event.eventId)) return false;
    seen.add(event.eventId);
    return true;
  });
}
