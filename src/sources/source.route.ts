import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { contentTypeOf, isJsonType, MAX_BODY, readBody, refuse, send, type PrefixRoute } from '../http/event-routes.js';
import { decodeJson } from '../http/json-body.js';
import { ingestSourceChanges, type IngestDeps, type IngestResult, type SourceIngestOptions } from '../ingest/ingest-flag-events.js';
import { claimReceipt, pruneReceipts, releaseReceipt } from './source-receipts.repository.js';
import type { PushSource, PushSourceKind, SourceChange, SourceRequest, Translation, Verification } from './source-kind.js';
import { findLiveSource, recordSourceDelivery, recordSourceRejection, type LiveSource } from './sources.repository.js';

export const SOURCES_PREFIX = '/api/v1/sources/';

/** A platform's own event id stays a duplicate this long: far longer than any platform keeps retrying. */
const DELIVERY_ID_KEPT_MS = 30 * 24 * 3600_000;
/** Without an id the raw body is the key, for 24 hours (contract section 7): later the same body is a new event. */
const BODY_KEPT_MS = 24 * 3600_000;
/** About one delivery in this many also deletes expired receipts, so no timer and no state is needed. */
const PRUNE_ONE_IN = 256;

/** What the route needs: the source ingest's deps, the box that opens secrets, and the platforms by kind. */
export type SourceRouteDeps = IngestDeps & Pick<AppDeps, 'box' | 'sources'>;

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
  const source = id.includes('/') ? undefined : await findLiveSource(deps.db, deps.box, id);
  const platform = source && deps.sources.get(source.kind as PushSourceKind);
  if (!source || !platform)
    return refuse(req, res, 404, { error: 'unknown or deleted source: copy the URL from the source (settings page, Sources, or "flag-alerts source list")' });
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

  const verification = verifySafely(deps, platform, request, source.secrets);
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

  const receipt = receiptOf(translation.deliveryId, raw.bytes);
  if (!(await claimReceipt(deps.db, source.id, receipt.key, request.now, receipt.keepMs))) {
    count('duplicate');
    return send(res, 202, { accepted: 0, ignored: 0, duplicates: 1 });
  }
  const delivery = { sourceId: source.id, deliveryId: translation.deliveryId, rawBody: raw.bytes };
  const result = await ingestOrRelease(deps, source, translation.changes, delivery, receipt.key);
  await recordSourceDelivery(deps.db, source.id, { accepted: result.accepted, ignored: translation.ignored }, request.now);
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

/** The delivery's receipt is given back when storing fails, so the platform's retry is not taken for a duplicate. */
async function ingestOrRelease(
  deps: SourceRouteDeps,
  source: LiveSource,
  changes: SourceChange[],
  delivery: SourceIngestOptions,
  key: string,
): Promise<IngestResult> {
  if (changes.length === 0) return { accepted: 0, duplicates: 0 };
  try {
    return await ingestSourceChanges(deps, source.organizationId, changes, delivery);
  } catch (error) {
    await releaseReceipt(deps.db, source.id, key);
    throw error;
  }
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
