import type { IncomingHttpHeaders } from 'node:http';
import type { DeploymentRef, FlagEvent } from '../flag-change/model.js';
import type { ValidationIssue } from '../http/validation-issues.js';

/** The platforms that post their own webhooks to `POST /api/v1/sources/<id>` (contract section 7). */
export const PUSH_SOURCE_KINDS = ['launchdarkly', 'unleash', 'flagsmith', 'growthbook', 'configcat', 'flipt'] as const;
export type PushSourceKind = (typeof PUSH_SOURCE_KINDS)[number];

/** A platform's request as it arrived: Node lower-cases header names; the body is the exact bytes the platform signed. */
export interface SourceRequest {
  method: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** unix ms (injected clock), for replay windows */
  now: number;
}

/** Refusals name what was wrong and what the admin can check, shown on the source (never the secret itself). */
export type Verification = { ok: true } | { ok: false; reason: string; hint: string };

/** Why a payload is not the platform's shape, as the ingest API names a bad body's issues. */
export type TranslationIssue = ValidationIssue;

/**
 * One change in the core model, and the environment the platform tied it to: null when it tied it to none
 * (created, deleted, archived, tags, name…), which reaches the project's deployment-scoped alerts too.
 * `previousUnknown`: the platform sent no previous state (`oldFlag` is absent on an update); ingest takes the
 * last one stored for the flag, and the message says the previous state is unknown on first sight.
 * `partial`: the snapshots hold only the fields the platform sent (one environment's on/off, one strategy, one
 * rule, one setting's value); a field they lack is unmentioned, not gone. Ingest lays them over the last state
 * stored for the flag in that environment (flag-change/overlay.ts), so the diff shows only what the platform
 * changed and the stored state stays whole; an update without oldFlag then takes that state as its previous one,
 * as with `previousUnknown`. A field set to null is said: "none now". Never on creations.
 */
export interface SourceChange {
  event: FlagEvent;
  environment: DeploymentRef | null;
  previousUnknown?: boolean;
  partial?: boolean;
}

export type Translation =
  | {
      ok: true;
      changes: SourceChange[];
      /** parts of the payload we do not notify about (member or segment changes, user events…) */
      ignored: number;
      /** the platform's id of this event, the same on its retries (LaunchDarkly `_id`, Unleash `id`); absent: the raw body is the key */
      deliveryId?: string;
    }
  | { ok: false; error: string; issues: TranslationIssue[] };

/** One platform: check authenticity over the raw body, then translate its payload into the core model. Pure: no I/O. */
export interface PushSource {
  kind: PushSourceKind;
  /** the platform's name as people write it */
  label: string;
  /** 'generated': we make the secret and the admin pastes it into the platform; 'platform': the platform shows one to paste here */
  secretOrigin: 'generated' | 'platform';
  /** `secrets`: the source's current secret(s), decrypted; constant-time comparisons only */
  verify(request: SourceRequest, secrets: readonly string[]): Verification;
  /** `body`: the parsed JSON of `request.rawBody` */
  translate(body: unknown, request: SourceRequest): Translation;
  /** what to click and paste in the platform's UI, given the source's URL */
  setupSteps(url: string): string[];
}
