import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

const KEY_PREFIX = 'fa_';
/** "fa_" + 32 random bytes in base64url (43 characters). */
const KEY_PATTERN = /^fa_[A-Za-z0-9_-]{43}$/;
/** How many leading characters lists show: enough to tell keys apart, far too few to guess the rest. */
const SHOWN_PREFIX_LENGTH = 10;
/** last_used_at is refreshed at most this often, so the ingest hot path rarely writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IngestKeySummary {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key for the organization; the clear key is returned here once and never stored. */
export async function createIngestKey(
  db: Kysely<Database>,
  input: { organizationId: string; name: string; createdBy: string | null },
  now = Date.now(),
): Promise<{ id: number; key: string; prefix: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, SHOWN_PREFIX_LENGTH);
  const row = await db
    .insertInto('ingest_keys')
    .values({
      organization_id: input.organizationId,
      name: input.name,
      key_hash: hashKey(key),
      key_prefix: prefix,
      created_by: input.createdBy,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), key, prefix };
}

export async function listIngestKeys(db: Kysely<Database>, organizationId: string): Promise<IngestKeySummary[]> {
  const rows = await db
    .selectFrom('ingest_keys')
    .select(['id', 'name', 'key_prefix', 'created_at', 'last_used_at', 'revoked_at', 'created_by'])
    .where('organization_id', '=', organizationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    prefix: r.key_prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    createdBy: r.created_by,
  }));
}

/** Revokes the organization's key, forgetting it in `known` at once; false when it has no such key or it was already revoked. */
export async function revokeIngestKey(db: Kysely<Database>, known: KnownIngestKeys, organizationId: string, id: number, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('ingest_keys')
    .set({ revoked_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  for (const [hash, entry] of known.byHash) if (entry.keyId === id) known.byHash.delete(hash);
  return Number(result.numUpdatedRows) === 1;
}

/** How long an accepted key is trusted without a read; another instance's revocation takes effect within it. */
export const KEY_CACHE_MS = 5_000;

interface KnownKey {
  organizationId: string;
  keyId: number;
  lastUsedAt: number | null;
  checkedAt: number;
}

/**
 * Accepted keys by hash: ingestion is the hot path and the key is the same on every request. Owned by the
 * composition root, one per running app (and so per database handle).
 */
export interface KnownIngestKeys {
  readonly byHash: Map<string, KnownKey>;
}

export function createKnownIngestKeys(): KnownIngestKeys {
  return { byHash: new Map() };
}

/**
 * The organization a live key belongs to, or undefined for an unknown, malformed or revoked key.
 * An accepted key is remembered in `known` for KEY_CACHE_MS; revoking through this module forgets it at once.
 */
export async function authenticateIngestKey(
  db: Kysely<Database>,
  { byHash: known }: KnownIngestKeys,
  key: string,
  now: number,
): Promise<{ organizationId: string; keyId: number } | undefined> {
  if (!KEY_PATTERN.test(key)) return undefined;
  const hash = hashKey(key);
  let entry = known.get(hash);
  if (!entry || now - entry.checkedAt >= KEY_CACHE_MS || now < entry.checkedAt) {
    const row = await db
      .selectFrom('ingest_keys')
      .select(['id', 'organization_id', 'last_used_at', 'revoked_at'])
      .where('key_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) {
      known.delete(hash);
      return undefined;
    }
    if (known.size >= 10_000) known.clear(); // keys are few; this only bounds memory against surprises
    entry = { organizationId: row.organization_id, keyId: Number(row.id), lastUsedAt: row.last_used_at, checkedAt: now };
    known.set(hash, entry);
  }
  if (entry.lastUsedAt === null || now - entry.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    entry.lastUsedAt = now;
    await db.updateTable('ingest_keys').set({ last_used_at: now }).where('id', '=', entry.keyId).execute();
  }
  return { organizationId: entry.organizationId, keyId: entry.keyId };
}
