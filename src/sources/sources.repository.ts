import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../storage/schema.js';
import { forgetSource, type KnownSources } from './known-sources.js';

/** A source as lists and the settings page show it: never its secret. */
export interface SourceSummary {
  id: string;
  organizationId: string;
  kind: string;
  name: string;
  createdAt: number;
  lastEventAt: number | null;
  accepted: number;
  ignored: number;
  rejected: number;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** What the webhook route needs of a live source: whose it is, which platform, and its secret(s), opened. */
export interface LiveSource {
  id: string;
  organizationId: string;
  kind: string;
  secrets: string[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * "src_" and 24 characters of 5 random bits each (120 bits): the URL is all a platform has, so it must not be
 * guessable. Lower case only, because the event routes match paths case-insensitively, as Express does.
 */
function newSourceId(): string {
  return `src_${[...randomBytes(24)].map((b) => ID_ALPHABET[b & 31]).join('')}`;
}

export async function createSource(
  db: Kysely<Database>,
  box: SecretBox,
  input: { organizationId: string; kind: string; name: string; secret: string },
  now: number,
): Promise<SourceSummary> {
  const id = newSourceId();
  await db
    .insertInto('sources')
    .values({
      id,
      organization_id: input.organizationId,
      kind: input.kind,
      name: input.name,
      secret_sealed: box.seal(input.secret),
      created_at: now,
      updated_at: now,
      deleted_at: null,
      last_event_at: null,
      last_error: null,
      last_error_at: null,
    })
    .execute();
  return {
    id,
    organizationId: input.organizationId,
    kind: input.kind,
    name: input.name,
    createdAt: now,
    lastEventAt: null,
    accepted: 0,
    ignored: 0,
    rejected: 0,
    lastError: null,
    lastErrorAt: null,
  };
}

/** The organization's sources that are not deleted, oldest first. */
export async function listSources(db: Kysely<Database>, organizationId: string): Promise<SourceSummary[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    kind: r.kind,
    name: r.name,
    createdAt: r.created_at,
    lastEventAt: r.last_event_at,
    accepted: Number(r.accepted_count),
    ignored: Number(r.ignored_count),
    rejected: Number(r.rejected_count),
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
  }));
}

/** A source that is not deleted, by id, with its secret opened; undefined for an unknown or deleted one. */
export async function findLiveSource(db: Kysely<Database>, box: SecretBox, id: string): Promise<LiveSource | undefined> {
  const row = await db
    .selectFrom('sources')
    .select(['id', 'organization_id', 'kind', 'secret_sealed'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, organizationId: row.organization_id, kind: row.kind, secrets: [box.open(row.secret_sealed)] };
}

/** The kind of a source that is not deleted, for commands that act on it by id alone. */
export async function findSourceKind(db: Kysely<Database>, id: string): Promise<{ kind: string; organizationId: string } | undefined> {
  const row = await db.selectFrom('sources').select(['kind', 'organization_id']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row && { kind: row.kind, organizationId: row.organization_id };
}

/**
 * Replaces the secret: deliveries signed with the old one are refused from now on by the app that holds `known`,
 * within SOURCE_CACHE_MS by other instances. False when no such live source.
 */
export async function rotateSourceSecret(db: Kysely<Database>, box: SecretBox, known: KnownSources, id: string, secret: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sources')
    .set({ secret_sealed: box.seal(secret), updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  forgetSource(known, id);
  return Number(result.numUpdatedRows) > 0;
}

/** Marks the source deleted: its URL answers 404 from now on in the app that holds `known`, within SOURCE_CACHE_MS elsewhere. */
export async function deleteSource(db: Kysely<Database>, known: KnownSources, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sources')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  forgetSource(known, id);
  return Number(result.numUpdatedRows) > 0;
}

/** What one commit took for one source: changes accepted, parts ignored (summed over its deliveries). */
export interface SourceDeliveryCounts {
  sourceId: string;
  accepted: number;
  ignored: number;
}

/**
 * Counts the deliveries sources took, and when they came: one statement per source, in id order, so commits that
 * run at once (PostgreSQL) take the rows' locks in the same order.
 */
export async function recordSourceDeliveries(db: Kysely<Database>, counts: readonly SourceDeliveryCounts[], now: number): Promise<void> {
  for (const c of [...counts].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0))) {
    await db
      .updateTable('sources')
      .set((eb) => ({
        accepted_count: eb('accepted_count', '+', c.accepted),
        ignored_count: eb('ignored_count', '+', c.ignored),
        last_event_at: now,
      }))
      .where('id', '=', c.sourceId)
      .execute();
  }
}

/** Counts a refused delivery and keeps why, for the source's status ("reason: hint", never the secret). */
export async function recordSourceRejection(db: Kysely<Database>, id: string, error: string, now: number): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({ rejected_count: eb('rejected_count', '+', 1), last_error: error.slice(0, 500), last_error_at: now }))
    .where('id', '=', id)
    .execute();
}
