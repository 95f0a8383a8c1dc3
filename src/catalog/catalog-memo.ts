import type { FlagId } from '../flag-change/model.js';
import type { CatalogEntries } from './catalog.repository.js';

/**
 * Catalog rows this app has seen committed, per organization. Nearly every batch
 * names the same projects, deployments and tags again; skipping rows already stored with the same name or
 * label saves three upserts a batch on the ingest hot path. Safe with several instances: the catalog only
 * grows, and a skipped row is one the database already holds (a rename seen elsewhere is simply not reverted
 * here). Keyed like CatalogEntries, so a lookup builds no string.
 */
interface OrganizationMemo {
  projects: Map<FlagId, string | null>;
  deployments: Map<string, string | null>;
  tags: Set<string>;
  size: number;
}

/** Owned by the composition root, one per running app and so per database handle. */
export interface CatalogMemo {
  readonly byOrganization: Map<string, OrganizationMemo>;
}

export function createCatalogMemo(): CatalogMemo {
  return { byOrganization: new Map() };
}

// A bound on memory; past it an organization's memo starts over and its rows are upserted once more.
const MAX_REMEMBERED = 100_000;

function memoOf({ byOrganization }: CatalogMemo, organizationId: string): OrganizationMemo {
  let memo = byOrganization.get(organizationId);
  if (!memo || memo.size > MAX_REMEMBERED)
    byOrganization.set(organizationId, (memo = { projects: new Map(), deployments: new Map(), tags: new Set(), size: 0 }));
  return memo;
}

/** Known and unchanged: a missing name never erases a stored one, so it changes nothing either. */
function unchanged<K>(known: Map<K, string | null>, key: K, value: string | null): boolean {
  return known.has(key) && (value === null || known.get(key) === value);
}

/** The entries the database may not hold yet (or holds with another name or label). */
export function entriesToStore(memos: CatalogMemo, organizationId: string, entries: CatalogEntries): CatalogEntries {
  const memo = memoOf(memos, organizationId);
  const toStore: CatalogEntries = { projects: new Map(), deployments: new Map(), tags: new Map() };
  for (const [projectId, name] of entries.projects) if (!unchanged(memo.projects, projectId, name)) toStore.projects.set(projectId, name);
  for (const [key, d] of entries.deployments) if (!unchanged(memo.deployments, key, d.label)) toStore.deployments.set(key, d);
  for (const [key, t] of entries.tags) if (!memo.tags.has(key)) toStore.tags.set(key, t);
  return toStore;
}

/** Call after the transaction that stored `entries` committed. */
export function rememberStored(memos: CatalogMemo, organizationId: string, entries: CatalogEntries): void {
  const memo = memoOf(memos, organizationId);
  for (const [projectId, name] of entries.projects) memo.projects.set(projectId, name ?? memo.projects.get(projectId) ?? null);
  for (const [key, d] of entries.deployments) memo.deployments.set(key, d.label ?? memo.deployments.get(key) ?? null);
  for (const key of entries.tags.keys()) memo.tags.add(key);
  memo.size = memo.projects.size + memo.deployments.size + memo.tags.size;
}
