import type { Transaction } from 'kysely';
import { claimReceipts, type Receipt } from '../sources/source-receipts.repository.js';
import { recordSourceDeliveries, type SourceDeliveryCounts } from '../sources/sources.repository.js';
import type { Database } from '../storage/schema.js';
import type { Pending } from './ingest-flag-events.js';

/** What a commit keeps of a source's delivery besides its changes. */
export interface SourceDelivery {
  receipt: Receipt;
  /** parts of the delivery that notify nothing */
  ignored: number;
}

/**
 * Claims the receipts of the group's source deliveries, one statement for all; returns the deliveries taken before
 * (or twice in this group: the first is taken), which store nothing. Native calls carry no receipt.
 */
export async function claimSourceDeliveries(trx: Transaction<Database>, group: readonly Pending[], now: number): Promise<Set<Pending>> {
  const deliveries = group.filter((p): p is Pending & { source: SourceDelivery } => p.source !== undefined);
  if (deliveries.length === 0) return new Set();
  const taken = await claimReceipts(
    trx,
    deliveries.map((p) => p.source.receipt),
    now,
  );
  return new Set(deliveries.filter((p) => !taken.has(p.source.receipt)));
}

/** Adds what each source took in this commit to its counters: one update per source, however many deliveries. */
export async function countSourceDeliveries(trx: Transaction<Database>, accepted: readonly ReadonlyMap<Pending, number>[], now: number): Promise<void> {
  const bySource = new Map<string, SourceDeliveryCounts>();
  for (const calls of accepted) {
    for (const [p, n] of calls) {
      if (!p.source) continue;
      const { sourceId } = p.source.receipt;
      const counts = bySource.get(sourceId) ?? { sourceId, accepted: 0, ignored: 0 };
      counts.accepted += n;
      counts.ignored += p.source.ignored;
      bySource.set(sourceId, counts);
    }
  }
  if (bySource.size > 0) await recordSourceDeliveries(trx, [...bySource.values()], now);
}
