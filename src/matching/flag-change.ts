import type { FlagAction } from '../alerts/alert.js';

/** A deployment as flags name it: a bare id or `{ id, label }`. */
export type DeploymentRef = number | { id: number; label?: string | null | undefined };

/** What matching reads of a flag snapshot; every other field is compared as opaque configuration. */
export interface FlagState {
  enabled?: boolean | null | undefined;
  deployments?: readonly DeploymentRef[] | null | undefined;
  tags?: readonly string[] | null | undefined;
  [field: string]: unknown;
}

/** What matching reads of a flag change (an ingested FlagEvent fits this shape). */
export interface FlagChange {
  projectId: number;
  action: FlagAction;
  flag?: FlagState | null | undefined;
  oldFlag?: FlagState | null | undefined;
}

export function deploymentIdOf(ref: DeploymentRef): number {
  return typeof ref === 'number' ? ref : ref.id;
}
