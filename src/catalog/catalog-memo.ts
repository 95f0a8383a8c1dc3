import type { CatalogEntries } from './catalog.repository.js';

/**
 * Catalog rows this process has seen committed, per database handle. Nearly every batch names the same
 * projects, deployments and tags again; skipping rows already stored with the same name or label saves
 * three upserts a batch on the ingest hot path. Safe with several instances: the catalog only grows, and
 * a skipped row is one the database already holds (a rename seen elsewhere is simply not reverted here).
 */
const memos = new WeakMap<object, Map<string, string | null>>();
// A bound on memory; past it the memo starts over and rows are upserted once more.
const MAX_REMEMBERED = 100_000;

function memoOf(db: object): Map<string, string | null> {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Map()));
  return memo;
}

const projectKey = (org: string, projectId: number) => `${org}\u0000p\u0000${projectId}`;
const deploymentKey = (org: string, projectId: number, deploymentId: number) => `${org}\u0000d\u0000${projectId}\u0000${deploymentId}`;
const tagKey = (org: string, projectId: number, tag: string) => `${org}\u0000t\u0000${projectId}\u0000${tag}`;

/** Known and unchanged: a missing name never erases a stored one, so it changes nothing either. */
function unchanged(memo: Map<string, string | null>, key: string, value: string | null): boolean {
  return memo.has(key) && (value === null || memo.get(key) === value);
}

/** The entries the database may not hold yet (or holds with another name or label). */
export function entriesToStore(db: object, organizationId: string, entries: CatalogEntries): CatalogEntries {
  const memo = memoOf(db);
  return {
    projects: new Map([...entries.projects].filter(([projectId, name]) => !unchanged(memo, projectKey(organizationId, projectId), name))),
    deployments: new Map([...entries.deployments].filter(([, d]) => !unchanged(memo, deploymentKey(organizationId, d.projectId, d.deploymentId), d.label))),
    tags: new Map([...entries.tags].filter(([, t]) => !memo.has(tagKey(organizationId, t.projectId, t.tag)))),
  };
}

/** Call after the transaction that stored `entries` committed. */
export function rememberStored(db: object, organizationId: string, entries: CatalogEntries): void {
  const memo = memoOf(db);
  if (memo.size > MAX_REMEMBERED) memo.clear();
  const remember = (key: string, value: string | null) => memo.set(key, value ?? memo.get(key) ?? null);
  for (const [projectId, name] of entries.projects) remember(projectKey(organizationId, projectId), name);
  for (const d of entries.deployments.values()) remember(deploymentKey(organizationId, d.projectId, d.deploymentId), d.label);
  for (const t of entries.tags.values()) memo.set(tagKey(organizationId, t.projectId, t.tag), null);
}
