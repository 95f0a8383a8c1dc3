/**
 * The flag-change model every source translates its payload into (the native API today; LaunchDarkly, Unleash, … later).
 * It depends on nothing else in the project, so formatting, matching, ingest and delivery can all build on it.
 */

/** Projects, deployments and flags are named by the platform: Amplitude and the native API use numbers, the others string keys. */
export type FlagId = string | number;

export const FLAG_ACTIONS = ['created', 'updated', 'deleted'] as const;
export type FlagAction = (typeof FLAG_ACTIONS)[number];

/** A deployment as flags name it: a bare id or `{ id, label }`. */
export type DeploymentRef = FlagId | { id: FlagId; label?: string | null | undefined };

/** A tag as flags carry it: its text. */
export type TagRef = string;

/** The project a change belongs to; the name is what the source knew of it, if anything. */
export interface ProjectRef {
  projectId: FlagId;
  projectName?: string | null | undefined;
}

/**
 * A flag as a source reports it. Known fields are typed loosely enough for real exports;
 * every other field is kept untouched and compared as opaque configuration.
 */
export interface FlagSnapshot {
  id: FlagId;
  key: string;
  name?: string | null | undefined;
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  deployments?: DeploymentRef[] | null | undefined;
  tags?: TagRef[] | null | undefined;
  variants?: unknown[] | null | undefined;
  rolloutPercentage?: number | null | undefined;
  rolloutWeights?: Record<string, unknown> | null | undefined;
  targetSegments?: unknown[] | null | undefined;
  evaluationMode?: string | null | undefined;
  bucketingKey?: string | null | undefined;
  version?: number | string | null | undefined;
  [field: string]: unknown;
}

/** One change of one flag: created has no `oldFlag`, deleted no `flag`. */
export interface FlagEvent extends ProjectRef {
  /** the source's idempotency key, when it sends one */
  eventId?: string | null | undefined;
  action: FlagAction;
  modifiedBy: string;
  /** ISO 8601; without an offset it is read as UTC */
  occurredAt?: string | null | undefined;
  flag?: FlagSnapshot | null | undefined;
  oldFlag?: FlagSnapshot | null | undefined;
  [field: string]: unknown;
}

/** What matching and the notify rule read of a snapshot (any part of one will do). */
export type FlagState = Partial<FlagSnapshot>;

/** What matching and the notify rule read of a change (a FlagEvent fits this shape). */
export interface FlagChange {
  projectId: FlagId;
  action: FlagAction;
  flag?: FlagState | null | undefined;
  oldFlag?: FlagState | null | undefined;
  /**
   * Sources only: the deployment (platform environment) the platform tied the change to, or null when it tied it
   * to none (created, deleted, tags…), which reaches every deployment-scoped alert of the project. Absent on native
   * events: the deployments the snapshots name decide.
   */
  environment?: FlagId | null | undefined;
}

/** The flag as it is now, or as it was when it is gone. */
export function flagOf(event: Pick<FlagEvent, 'flag' | 'oldFlag'>): FlagSnapshot | null {
  return event.flag ?? event.oldFlag ?? null;
}
