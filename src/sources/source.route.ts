import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { contentTypeOf, isJsonType, MAX_BODY, readBody, refuse, send, type PrefixRoute } from '../http/event-routes.js';
import { decodeJson } from '../http/json-body.js';
import { ingestSourceChanges, type IngestDeps } from '../ingest/ingest-flag-events.js';
import { recallSource, rememberSource } from './known-sources.js';
import { pruneReceipts } from './source-receipts.repository.js';
import type { PushSource, PushSourceKind, SourceRequest, Translation, Verification } from './source-kind.js';
import { findLiveSource, recordSourceRejection, type LiveSource } from './sources.repository.js';

export const SOURCES_PREFIX = '/api/v1/sources/';

const UNKNOWN_SOURCE = { error: 'unknown or deleted source: copy the URL from the source (settings page, Sources, or "flag-alerts source list")' };

/** A platform's own event id stays a duplicate this long: far longer than any platform keeps retrying. */
const DELIVERY_ID_KEPT_MS = 30 * 24 * 3600_000;
/** Without an id the raw body is the key, for 24 hours (contract section 7): later the same body is a new event. */
const BODY_KEPT_MS = 24 * 3600_000;
/** About one delivery in this many also deletes expired receipts, so no timer and no state is needed. */
const PRUNE_ONE_IN = 256;

/** What the route needs: the source ingest's deps, the box that opens secrets, the sources read lately, and the platforms by kind. */
export type SourceRouteDeps = IngestDeps & Pick<AppDeps, 'box' | 'sources' | 'knownSources'>;

type Outcome = 'accepted' | 'ignored' | 'duplicate' | 'unauthorized' | 'invalid';

/**
 * `POST /api/v1/sources/<id>` (contract section 7): find the source, read the exact raw body, let the platform
 * verify it and translate it, drop a delivery already taken, and hand the changes to the one ingest. The platform's
 * mistakes get a 4xx, never a 500; a refusal is kept on the source so its admin sees why.
 */
export const sourcesRoute: PrefixRoute<SourceRouteDeps> = {
  prefix: SOURCES_PREFIX,
  async serve(deps, id, req, res) {
    try {
      await serveSource(deps, id, req, res);
    } catch (error) {
      deps.logger.error({ err: error, source: id }, 'source event failed');
      if (res.headersSent) return void res.destroy();
      send(res, 500, { error: 'internal error: the event was not stored, retry later' });
    }
  },
};

async function serveSource(deps: SourceRouteDeps, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Checked before the body is read, so a stranger cannot make us buffer a megabyte.
  const found = id.includes('/') ? undefined : await liveSource(deps, id, false);
  const platform = found && deps.sources.get(found.source.kind as PushSourceKind);
  if (!found || !platform) return refuse(req, res, 404, UNKNOWN_SOURCE);
  let source = found.source;
  const count = (outcome: Outcome, n = 1) => {
    if (n > 0) deps.metrics.sourceEvents.inc({ kind: source.kind, outcome }, n);
  };

  // A platform that names no type (LaunchDarkly and ConfigCat document none) is read as JSON; another type is refused.
  const type = contentTypeOf(req);
  if (type !== '' && !isJsonType(type)) {
    count('invalid');
    return refuse(req, res, 415, { error: `Content-Type must be application/json, not ${type}` });
  }
  const raw = await readBody(req);
  if (!raw.ok) {
    count('invalid');
    return refuse(req, res, raw.status, { error: raw.status === 413 ? `body larger than ${MAX_BODY}` : raw.error });
  }
  const request: SourceRequest = { method: req.method ?? 'POST', headers: req.headers, rawBody: raw.bytes, now: deps.now() };

  let verification = verifySafely(deps, platform, request, source.secrets);
  if (!verification.ok && found.remembered) {
    // The secret may have been rotated elsewhere (the CLI, another instance) since it was read: read it again before refusing.
    const fresh = await liveSource(deps, id, true);
    if (!fresh) return send(res, 404, UNKNOWN_SOURCE);
    source = fresh.source;
    verification = verifySafely(deps, platform, request, source.secrets);
  }
  if (!verification.ok) {
    await recordSourceRejection(deps.db, source.id, `${verification.reason}: ${verification.hint}`, request.now);
    count('unauthorized');
    return send(res, 401, { error: verification.reason, hint: verification.hint });
  }

  const translation = translateSafely(deps, platform, request);
  if (!translation.ok) {
    await recordSourceRejection(deps.db, source.id, `${translation.error}: ${translation.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, request.now);
    count('invalid');
    return send(res, 400, { error: translation.error, issues: translation.issues });
  }

  // The receipt is claimed, the changes stored and the source's counters kept in one commit: a delivery is taken
  // once, and a commit that fails takes nothing, so the platform's retry is not a duplicate.
  const receipt = receiptOf(translation.deliveryId, raw.bytes);
  const delivery = { sourceId: source.id, deliveryId: translation.deliveryId, rawBody: raw.bytes, receipt, ignored: translation.ignored };
  const result = await ingestSourceChanges(deps, source.organizationId, translation.changes, delivery);
  if (result.repeated) {
    count('duplicate');
    return send(res, 202, { accepted: 0, ignored: 0, duplicates: 1 });
  }
  count('accepted', result.accepted);
  count('ignored', translation.ignored);
  if (Math.random() * PRUNE_ONE_IN < 1) void pruneQuietly(deps, request.now);
  send(res, 202, { accepted: result.accepted, ignored: translation.ignored, duplicates: result.duplicates });
}

/** The platform's JSON, translated; a body that is not JSON, or one a platform module chokes on, is the sender's mistake. */
function translateSafely(deps: SourceRouteDeps, platform: PushSource, request: SourceRequest): Translation {
  const body = decodeJson(request.rawBody);
  if (!body.ok) return { ok: false, error: body.error, issues: body.issues };
  try {
    return platform.translate(body.value, request);
  } catch (error) {
    deps.logger.warn({ err: error, kind: platform.kind }, 'source payload could not be translated');
    return { ok: false, error: `not a ${platform.label} webhook body`, issues: [{ path: '(body)', message: 'unexpected shape' }] };
  }
}

function verifySafely(deps: SourceRouteDeps, platform: PushSource, request: SourceRequest, secrets: readonly string[]): Verification {
  try {
    return platform.verify(request, secrets);
  } catch (error) {
    deps.logger.warn({ err: error, kind: platform.kind }, 'source signature could not be checked');
    return { ok: false, reason: 'signature could not be checked', hint: `is this a ${platform.label} webhook with the headers ${platform.label} sends?` };
  }
}

/**
 * A live source by id, read at most every SOURCE_CACHE_MS (see known-sources.ts); `remembered`: not read now.
 * `fresh` reads it whatever was remembered.
 */
async function liveSource(deps: SourceRouteDeps, id: string, fresh: boolean): Promise<{ source: LiveSource; remembered: boolean } | undefined> {
  const now = deps.now();
  const remembered = fresh ? undefined : recallSource(deps.knownSources, id, now);
  if (remembered) return { source: remembered, remembered: true };
  const generation = deps.knownSources.generation;
  const source = await findLiveSource(deps.db, deps.box, id);
  rememberSource(deps.knownSources, id, source, generation, now);
  return source && { source, remembered: false };
}

/** The platform's event id where it sends one, else the raw body (contract section 7). */
export function receiptOf(deliveryId: string | undefined, rawBody: Buffer): { key: string; keepMs: number } {
  if (deliveryId !== undefined && deliveryId !== '') {
    return { key: deliveryId.length <= 200 ? `id:${deliveryId}` : `id-sha256:${sha256(Buffer.from(deliveryId, 'utf8'))}`, keepMs: DELIVERY_ID_KEPT_MS };
  }
  return { key: `sha256:${sha256(rawBody)}`, keepMs: BODY_KEPT_MS };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function pruneQuietly(deps: SourceRouteDeps, now: number): Promise<void> {
  try {
    await pruneReceipts(deps.db, now);
  } catch (error) {
    deps.logger.warn({ err: error }, 'pruning source receipts failed; the next delivery tries again');
  }
}
