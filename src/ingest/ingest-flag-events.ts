import type { Transaction } from 'kysely';
import type { AppDeps } from '../app-deps.js';
import { collectCatalogEntries } from '../catalog/catalog-entries.js';
import { entriesToStore, rememberStored } from '../catalog/catalog-memo.js';
import { upsertCatalog, type CatalogEntries } from '../catalog/catalog.repository.js';
import { deploymentIdOf } from '../flag-change/deployments.js';
import type { FlagEvent, FlagId } from '../flag-change/model.js';
import { alertsToNotify } from '../matching/alert-matches.js';
import { alertsOfProjects } from '../alerts/alerts.repository.js';
import { changeDelivery, insertDeliveries } from '../delivery/deliveries.repository.js';
import { retryOnDeadlock } from '../storage/retry-on-deadlock.js';
import type { Database } from '../storage/schema.js';
import { insertFlagEvents } from '../flag-events/flag-events.repository.js';

const MAX_PREFILTER_DEPLOYMENTS = 1000;
/** Events one group commit may carry; more wait for the next one. */
const MAX_EVENTS_PER_COMMIT = 2000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

interface Pending {
  organizationId: string;
  events: FlagEvent[];
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/** The group-commit queue; owned by the composition root, one per running app (tests start several in one process). */
export interface FlagEventCommits {
  readonly queue: Pending[];
  /** a pump is scheduled for the end of this event-loop turn */
  scheduled: boolean;
  inFlight: number;
}

/**
 * Group commits in flight at once. SQLite has one writer, so one. On PostgreSQL a commit is mostly waiting
 * (round trips, the WAL flush): a few at once keep the app and the database busy. Concurrent commits stay
 * correct: the idempotency index makes a repeated eventId wait for the first commit and then count as a
 * duplicate, catalog rows are upserted in key order, and a deadlock the database still reports is retried.
 */
const CONCURRENT_COMMITS = { sqlite: 1, postgres: 4 } as const;

export function createFlagEventCommits(): FlagEventCommits {
  return { queue: [], scheduled: false, inFlight: 0 };
}

/** What storing flag changes needs: the database, its commit queue and catalog memo, and the outbox to nudge. */
export type IngestDeps = Pick<AppDeps, 'db' | 'dialect' | 'logger' | 'metrics' | 'now' | 'outbox' | 'catalogMemo' | 'flagEventCommits'>;

/**
 * Stores validated changes of one organization, fills its catalog and queues a delivery per matching alert.
 * A repeated eventId (earlier, or within the same commit) is acknowledged as a duplicate and delivers nothing.
 * Calls that arrive together share one transaction (group commit): a transaction costs far more than the
 * rows in it, so fifty single-event requests cost about what one batch of fifty does. Each call's events
 * are in the database when its promise resolves. Used by the ingest API and by `send-sample`.
 */
export function ingestFlagEvents(deps: IngestDeps, organizationId: string, events: FlagEvent[]): Promise<IngestResult> {
  const c = deps.flagEventCommits;
  return new Promise((resolve, reject) => {
    c.queue.push({ organizationId, events, resolve, reject });
    schedule(deps, c);
  });
}

/** The rest of this event-loop turn's requests join the same commit. */
function schedule(deps: IngestDeps, c: FlagEventCommits): void {
  if (c.scheduled || c.inFlight >= CONCURRENT_COMMITS[deps.dialect]) return;
  c.scheduled = true;
  setImmediate(() => {
    c.scheduled = false;
    pump(deps, c);
  });
}

function pump(deps: IngestDeps, c: FlagEventCommits): void {
  while (c.queue.length > 0 && c.inFlight < CONCURRENT_COMMITS[deps.dialect]) {
    const group = takeGroup(c.queue);
    c.inFlight += 1;
    retryOnDeadlock(() => commitGroup(deps, group), (attempt) => deps.logger.info({ attempt }, 'ingest commit hit a deadlock; retrying it'))
      .catch((error: unknown) => {
        for (const p of group) p.reject(error);
      })
      .finally(() => {
        c.inFlight -= 1;
        // Requests that came while every slot was busy wait no longer than this commit.
        if (c.queue.length > 0) schedule(deps, c);
      });
  }
}

function takeGroup(queue: Pending[]): Pending[] {
  let events = 0;
  let n = 0;
  while (n < queue.length && (n === 0 || events + (queue[n]?.events.length ?? 0) <= MAX_EVENTS_PER_COMMIT)) {
    events += queue[n]?.events.length ?? 0;
    n += 1;
  }
  return queue.splice(0, n);
}

async function commitGroup(deps: IngestDeps, group: Pending[]): Promise<void> {
  const now = deps.now();
  const byOrganization = new Map<string, Pending[]>();
  for (const p of group) byOrganization.set(p.organizationId, [...(byOrganization.get(p.organizationId) ?? []), p]);
  const outcomes = await deps.db.transaction().execute(async (trx) => {
    const results: { organizationId: string; catalog: CatalogEntries | undefined; accepted: Map<Pending, number>; deliveries: number }[] = [];
    for (const [organizationId, pending] of byOrganization) results.push({ organizationId, ...(await storeForOrganization(deps, trx, organizationId, pending, now)) });
    return results;
  });
  let deliveries = 0;
  for (const { organizationId, catalog, accepted, deliveries: queued } of outcomes) {
    if (catalog) rememberStored(deps.catalogMemo, organizationId, catalog);
    const total = [...accepted.values()].reduce((a, b) => a + b, 0);
    if (total > 0) deps.metrics.eventsIngested.inc({ organization: organizationId }, total);
    deliveries += queued;
    for (const [p, n] of accepted) p.resolve({ accepted: n, duplicates: p.events.length - n });
  }
  if (deliveries > 0) deps.outbox.wake();
}

/** One organization's share of a commit: its events, catalog and deliveries. */
async function storeForOrganization(deps: IngestDeps, trx: Transaction<Database>, organizationId: string, pending: Pending[], now: number) {
  const owner = new Map<FlagEvent, Pending>();
  for (const p of pending) for (const e of p.events) owner.set(e, p);
  const unique = firstOfEachEventId(pending.flatMap((p) => p.events));
  const stored = await insertFlagEvents(trx, organizationId, unique, now);
  const accepted = new Map<Pending, number>(pending.map((p) => [p, 0]));
  for (const s of stored) {
    const p = owner.get(s.event);
    if (p) accepted.set(p, (accepted.get(p) ?? 0) + 1);
  }
  if (stored.length === 0) return { catalog: undefined, accepted, deliveries: 0 };
  const catalog = entriesToStore(deps.catalogMemo, organizationId, collectCatalogEntries(stored.map((s) => s.event)));
  await upsertCatalog(trx, organizationId, catalog, now);

  // One indexed read for the commit's projects, however many events name them.
  const projects = new Set(stored.map((s) => s.event.projectId));
  const deployments = deploymentsNamed(stored.map((s) => s.event));
  // The deployment prefilter is only a shortcut; past a bound the list would overflow the statement's parameters.
  const touched = deployments.size <= MAX_PREFILTER_DEPLOYMENTS ? [...deployments] : undefined;
  const alertsByProject = await alertsOfProjects(trx, organizationId, [...projects], touched);
  const rows = stored.flatMap(({ id, event }) =>
    alertsToNotify(alertsByProject.get(event.projectId) ?? [], event).map((alert) => changeDelivery(organizationId, alert, id, now)),
  );
  await insertDeliveries(trx, rows);
  return { catalog, accepted, deliveries: rows.length };
}

function deploymentsNamed(events: FlagEvent[]): Set<FlagId> {
  const ids = new Set<FlagId>();
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
