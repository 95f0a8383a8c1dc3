import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../app-deps.js';
import { collectCatalogEntries } from '../catalog/catalog-entries.js';
import { entriesToStore, rememberStored } from '../catalog/catalog-memo.js';
import { upsertCatalog, type CatalogEntries } from '../catalog/catalog.repository.js';
import { flagStateColumns, lastFlagSnapshots, storeFlagSnapshots, type FlagStateColumns } from '../catalog/catalog-flags.repository.js';
import { deploymentIdOf } from '../flag-change/deployments.js';
import { overlayChange } from '../flag-change/overlay.js';
import { flagOf, type DeploymentRef, type FlagChange, type FlagEvent, type FlagId, type FlagSnapshot } from '../flag-change/model.js';
import { alertsToNotify } from '../matching/alert-matches.js';
import { alertsOfProjects } from '../alerts/alerts.repository.js';
import { changeDelivery, insertDeliveries } from '../delivery/deliveries.repository.js';
import { retryOnDeadlock } from '../storage/retry-on-deadlock.js';
import type { Database } from '../storage/schema.js';
import { insertFlagEvents, releaseKeysOlderThan } from '../flag-events/flag-events.repository.js';
import type { SourceChange } from '../sources/source-kind.js';
import { claimSourceDeliveries, countSourceDeliveries, type SourceDelivery } from './source-deliveries.js';

const MAX_PREFILTER_DEPLOYMENTS = 1000;
/** Events one group commit may carry; more wait for the next one. */
const MAX_EVENTS_PER_COMMIT = 2000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** `repeated`: the source's delivery was taken before (its receipt holds), so nothing of it was stored. */
export type SourceIngestResult = IngestResult & { repeated?: true };

/** One change to store: a native event, or a source's change with the environment it is tied to. */
interface IngestItem {
  event: FlagEvent;
  /** sources only (see SourceChange); undefined for native events */
  environment?: DeploymentRef | null;
  /** the platform sent no previous state: take the last one stored */
  previousUnknown?: boolean;
  /** the snapshots hold only what the platform sent: lay them over the last one stored (SourceChange.partial) */
  partial?: boolean;
  /** the idempotency key holds this long (a raw body's), else for good */
  keyWindowMs?: number;
}

export interface Pending {
  organizationId: string;
  items: IngestItem[];
  /** a source's delivery: its receipt is claimed and its counters kept in the commit that stores it */
  source?: SourceDelivery;
  resolve(result: SourceIngestResult): void;
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
  return enqueue(
    deps,
    organizationId,
    events.map((event) => ({ event })),
  );
}

/** How a source's delivery is named, for idempotency (contract section 7). */
export interface SourceIngestOptions {
  /** the source's id: two sources never share keys */
  sourceId: string;
  /** the platform's id of this delivery (Translation.deliveryId); absent, the raw body names it for 24 hours */
  deliveryId?: string | undefined;
  /** the exact bytes the platform posted */
  rawBody: Buffer;
  /**
   * names the delivery among the source's earlier ones (see receiptOf in source.route.ts): claimed in the commit that
   * stores the changes, with the source's counters; a commit that fails claims nothing. Absent: no receipt, no counters.
   */
  receipt?: { key: string; keepMs: number };
  /** parts of the delivery that notify nothing, for the source's counters */
  ignored?: number;
}

/** A raw body names the same delivery for this long; platforms that send no id put a timestamp in the body. */
export const BODY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Stores a source's changes through the same pipeline as ingestFlagEvents (group commit, idempotency, catalog,
 * matching, outbox). Each change's idempotency key is the delivery's (the platform's event id, else a hash of
 * the raw body) plus its place in the delivery, so a platform's retry is a duplicate of every change in it.
 * `environment: null` reaches the project's deployment-scoped alerts too; an environment reaches only the
 * alerts of that deployment (and project and tag alerts). `previousUnknown` updates get the last snapshot
 * stored for the flag in that environment as oldFlag; with none they stay without one (the message says so).
 * `partial` changes are laid over that snapshot before they are stored, matched and sent, so the stored state
 * stays whole; with none they are taken as they are.
 */
export function ingestSourceChanges(
  deps: IngestDeps,
  organizationId: string,
  changes: SourceChange[],
  options: SourceIngestOptions,
): Promise<SourceIngestResult> {
  const delivery = options.deliveryId !== undefined ? `id:${options.deliveryId}` : `body:${createHash('sha256').update(options.rawBody).digest('hex')}`;
  const keyWindowMs = options.deliveryId !== undefined ? undefined : BODY_KEY_WINDOW_MS;
  const items = changes.map((change, i): IngestItem => ({
    event: { ...change.event, eventId: `source:${options.sourceId}:${delivery}:${i}` },
    environment: change.environment,
    ...(change.previousUnknown ? { previousUnknown: true } : {}),
    ...(change.partial ? { partial: true } : {}),
    ...(keyWindowMs === undefined ? {} : { keyWindowMs }),
  }));
  const source = options.receipt && { receipt: { sourceId: options.sourceId, ...options.receipt }, ignored: options.ignored ?? 0 };
  return enqueue(deps, organizationId, items, source);
}

function enqueue(deps: IngestDeps, organizationId: string, items: IngestItem[], source?: SourceDelivery): Promise<SourceIngestResult> {
  const c = deps.flagEventCommits;
  return new Promise((resolve, reject) => {
    c.queue.push(source ? { organizationId, items, source, resolve, reject } : { organizationId, items, resolve, reject });
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
    retryOnDeadlock(
      () => commitGroup(deps, group),
      (attempt) => deps.logger.info({ attempt }, 'ingest commit hit a deadlock; retrying it'),
    )
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

/** A call counts as one event at least: a source's delivery with no change still claims a receipt. */
function takeGroup(queue: Pending[]): Pending[] {
  let events = 0;
  let n = 0;
  while (n < queue.length && (n === 0 || events + Math.max(1, queue[n]?.items.length ?? 0) <= MAX_EVENTS_PER_COMMIT)) {
    events += Math.max(1, queue[n]?.items.length ?? 0);
    n += 1;
  }
  return queue.splice(0, n);
}

async function commitGroup(deps: IngestDeps, group: Pending[]): Promise<void> {
  const now = deps.now();
  const { outcomes, repeated } = await deps.db.transaction().execute(async (trx) => {
    // Sources' deliveries are claimed in the commit that stores them: a commit that fails gives their receipts back.
    const repeated = await claimSourceDeliveries(trx, group, now);
    const byOrganization = new Map<string, Pending[]>();
    for (const p of group) {
      if (repeated.has(p)) continue;
      const pending = byOrganization.get(p.organizationId);
      if (pending) pending.push(p);
      else byOrganization.set(p.organizationId, [p]);
    }
    const results: { organizationId: string; catalog: CatalogEntries | undefined; accepted: Map<Pending, number>; deliveries: number }[] = [];
    for (const [organizationId, pending] of byOrganization)
      results.push({ organizationId, ...(await storeForOrganization(deps, trx, organizationId, pending, now)) });
    await countSourceDeliveries(
      trx,
      results.map((r) => r.accepted),
      now,
    );
    return { outcomes: results, repeated };
  });
  for (const p of repeated) p.resolve({ accepted: 0, duplicates: p.items.length, repeated: true });
  let deliveries = 0;
  for (const { organizationId, catalog, accepted, deliveries: queued } of outcomes) {
    if (catalog) rememberStored(deps.catalogMemo, organizationId, catalog);
    const total = [...accepted.values()].reduce((a, b) => a + b, 0);
    if (total > 0) deps.metrics.eventsIngested.inc({ organization: organizationId }, total);
    deliveries += queued;
    for (const [p, n] of accepted) p.resolve({ accepted: n, duplicates: p.items.length - n });
  }
  if (deliveries > 0) deps.outbox.wake();
}

/** One organization's share of a commit: its events, catalog, last flag states and deliveries. */
async function storeForOrganization(deps: IngestDeps, trx: Transaction<Database>, organizationId: string, pending: Pending[], now: number) {
  const unique = firstOfEachEventId(pending.flatMap((p) => p.items.map((item) => ({ item, pending: p }))));
  const windowed = unique.flatMap(({ item }) => (item.keyWindowMs !== undefined && item.event.eventId ? [item.event.eventId] : []));
  if (windowed.length > 0) await releaseKeysOlderThan(trx, organizationId, windowed, now - BODY_KEY_WINDOW_MS);
  const items = unique.some(({ item }) => item.previousUnknown || item.partial) ? await withPreviousStates(trx, organizationId, unique) : unique;
  // The insert hands back the event objects it stored: they name their item and call.
  const owner = new Map(items.map((o) => [o.item.event, o]));
  const stored = await insertFlagEvents(
    trx,
    organizationId,
    items.map(({ item }) => item.event),
    now,
  );
  const accepted = new Map<Pending, number>(pending.map((p) => [p, 0]));
  const storedItems: { id: number; item: IngestItem }[] = [];
  for (const s of stored) {
    const o = owner.get(s.event);
    if (!o) continue;
    accepted.set(o.pending, (accepted.get(o.pending) ?? 0) + 1);
    storedItems.push({ id: s.id, item: o.item });
  }
  if (stored.length === 0) return { catalog: undefined, accepted, deliveries: 0 };
  const environments = storedItems.flatMap(({ item }) => (item.environment ? [{ projectId: item.event.projectId, ref: item.environment }] : []));
  const catalog = entriesToStore(
    deps.catalogMemo,
    organizationId,
    collectCatalogEntries(
      stored.map((s) => s.event),
      environments,
    ),
  );
  await upsertCatalog(trx, organizationId, catalog, now);
  // Only sources read a flag's last state back (platforms that send no previous state); native events carry
  // their oldFlag, so storing theirs would cost every commit an upsert that nothing reads.
  const fromSources = storedItems.flatMap(({ item }) => (item.environment === undefined ? [] : [item]));
  if (fromSources.length > 0) await storeFlagSnapshots(trx, deps.dialect, organizationId, latestSnapshots(fromSources), now);

  // One indexed read for the commit's projects, however many events name them.
  const projects = new Set(stored.map((s) => s.event.projectId));
  const changes = storedItems.map(({ id, item }) => ({ id, change: changeOf(item) }));
  const deployments = deploymentsNamed(changes.map((c) => c.change));
  // The deployment prefilter is only a shortcut; past a bound the list would overflow the statement's parameters.
  // A change tied to no environment reaches every deployment-scoped alert of its project: no prefilter then.
  const touched = deployments !== undefined && deployments.size <= MAX_PREFILTER_DEPLOYMENTS ? [...deployments] : undefined;
  const alertsByProject = await alertsOfProjects(trx, organizationId, [...projects], touched);
  const rows = changes.flatMap(({ id, change }) =>
    alertsToNotify(alertsByProject.get(change.projectId) ?? [], change).map((alert) => changeDelivery(organizationId, alert, id, now)),
  );
  await insertDeliveries(trx, rows);
  return { catalog, accepted, deliveries: rows.length };
}

/** What matching reads: a native event as it is, a source's change with the environment it is tied to. */
function changeOf(item: IngestItem): FlagChange & FlagEvent {
  if (item.environment === undefined) return item.event;
  return { ...item.event, environment: item.environment === null ? null : deploymentIdOf(item.environment) };
}

/** Which flag state a change is the new state of: its flag, in its environment (none for native events). */
function stateOf(item: IngestItem): FlagStateColumns | undefined {
  const flag = flagOf(item.event);
  if (!flag) return undefined;
  return flagStateColumns({ projectId: item.event.projectId, flagId: flag.id, environmentId: item.environment ? deploymentIdOf(item.environment) : null });
}

/**
 * Updates whose platform sent no previous state, and partial changes, take the last state known: an earlier change
 * of this commit, else the stored one (one read, and only when such changes are in the commit). With none, oldFlag
 * stays empty and a partial change is taken as it is.
 */
async function withPreviousStates<T extends { item: IngestItem }>(trx: Transaction<Database>, organizationId: string, items: T[]): Promise<T[]> {
  const needed = items.flatMap(({ item }) => {
    const state = needsLastState(item) ? stateOf(item) : undefined;
    return state ? [state] : [];
  });
  const known = await lastFlagSnapshots(trx, organizationId, needed);
  return items.map((entry) => {
    const { item } = entry;
    const state = stateOf(item);
    if (!state) return entry;
    const previous = known.get(state.text);
    const filled = previous && needsLastState(item) ? { ...item, event: withLastState(previous, item) } : item;
    const current = flagOf(filled.event);
    if (current) known.set(state.text, current);
    return filled === item ? entry : { ...entry, item: filled };
  });
}

/** A creation borrows nothing: a state stored under its key is of a flag deleted before. */
function needsLastState(item: IngestItem): boolean {
  return (item.partial === true && item.event.action !== 'created') || (item.previousUnknown === true && !item.event.oldFlag);
}

/** A partial change laid over the last state; otherwise that state is the previous one the platform did not send. */
function withLastState(last: FlagSnapshot, item: IngestItem): FlagEvent {
  return item.partial ? overlayChange(last, item.event) : { ...item.event, oldFlag: last };
}

/** Each flag state's newest snapshot in the commit; a deleted flag's last state is the one it had. */
function latestSnapshots(items: IngestItem[]): Map<string, { columns: FlagStateColumns; snapshot: FlagSnapshot }> {
  const latest = new Map<string, { columns: FlagStateColumns; snapshot: FlagSnapshot }>();
  for (const item of items) {
    const columns = stateOf(item);
    const snapshot = flagOf(item.event);
    if (columns && snapshot) latest.set(columns.text, { columns, snapshot });
  }
  return latest;
}

/** Every deployment the changes can reach; undefined when one reaches all of its project's (tied to no environment). */
function deploymentsNamed(changes: FlagChange[]): Set<FlagId> | undefined {
  const ids = new Set<FlagId>();
  for (const change of changes) {
    if (change.environment === null) return undefined;
    if (change.environment !== undefined) {
      ids.add(change.environment);
      continue;
    }
    for (const flag of [change.flag, change.oldFlag]) for (const ref of flag?.deployments ?? []) ids.add(deploymentIdOf(ref));
  }
  return ids;
}

function firstOfEachEventId<T extends { item: IngestItem }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter(({ item: { event } }) => {
    if (!event.eventId) return true;
    if (seen.has(event.eventId)) return false;
    seen.add(event.eventId);
    return true;
  });
}
