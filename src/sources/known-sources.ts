import type { LiveSource } from './sources.repository.js';

/**
 * How long a source read from the database (with its secret opened) is used without reading it again. A rotation or
 * deletion through this app is seen at once; one made elsewhere (the CLI, another instance) within this: until then
 * the old secret is still taken and a deleted source's URL still answers. A delivery signed with a secret rotated
 * elsewhere is taken at once, because a signature that does not match a remembered secret reads the source again.
 */
export const SOURCE_CACHE_MS = 5_000;

/** Bounds memory against surprises: sources are few. */
const MAX_KNOWN = 10_000;

interface KnownSource {
  source: LiveSource;
  checkedAt: number;
}

/**
 * Live sources read lately, by id: a platform posts to the same source on every delivery, and reading it costs a
 * query and a decryption. Owned by the composition root, one per running app (and so per database handle).
 */
export interface KnownSources {
  readonly byId: Map<string, KnownSource>;
  /** bumped by every forget, so a read that began before a rotation or deletion is not remembered after it */
  generation: number;
}

export function createKnownSources(): KnownSources {
  return { byId: new Map(), generation: 0 };
}

/** The source as read less than SOURCE_CACHE_MS ago, else undefined (read it, then `rememberSource`). */
export function recallSource(known: KnownSources, id: string, now: number): LiveSource | undefined {
  const entry = known.byId.get(id);
  if (!entry || now - entry.checkedAt >= SOURCE_CACHE_MS || now < entry.checkedAt) return undefined;
  return entry.source;
}

/** Keeps a source just read; `generation` is known.generation from before the read began. */
export function rememberSource(known: KnownSources, id: string, source: LiveSource | undefined, generation: number, now: number): void {
  if (!source) {
    known.byId.delete(id);
    return;
  }
  if (generation !== known.generation) return;
  if (known.byId.size >= MAX_KNOWN) known.byId.clear();
  known.byId.set(id, { source, checkedAt: now });
}

/** Called by rotation and deletion: the next delivery reads the source again. */
export function forgetSource(known: KnownSources, id: string): void {
  known.byId.delete(id);
  known.generation += 1;
}
