import type { z } from 'zod';
import type { DeploymentRef, FlagEvent, FlagSnapshot } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { Translation } from '../source-kind.js';
import { envelopeSchema, flagStateChangeSchema, type FeatureState, type FlagStateChange } from './payload.schema.js';

/**
 * A Flagsmith webhook → at most one change, in the environment of its feature state. Flagsmith sends no event id:
 * ingest deduplicates on the raw body. Every feature state belongs to one environment, even on delete (Flagsmith sends
 * one FLAG_DELETED per environment), so each change names that environment.
 */
export function translateFlagsmith(body: unknown): Translation {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return refused(envelope.error);
  const { event_type: eventType } = envelope.data;
  if (eventType !== 'FLAG_UPDATED' && eventType !== 'FLAG_DELETED') return { ok: true, changes: [], ignored: 1 };
  const parsed = flagStateChangeSchema.safeParse(envelope.data.data);
  if (!parsed.success) return refused(parsed.error, 'data');
  const data = parsed.data;

  const state = eventType === 'FLAG_DELETED' ? data.previous_state : data.new_state;
  if (!state) {
    const missing = eventType === 'FLAG_DELETED' ? 'previous_state' : 'new_state';
    return { ok: false, error: 'not a Flagsmith webhook', issues: [{ path: `data.${missing}`, message: `${eventType} needs a ${missing}` }] };
  }
  // Identity and segment overrides say nothing of the environment's own state: reporting one as the flag would invent it.
  if (isOverride(state)) return { ok: true, changes: [], ignored: 1 };

  const environment = deploymentOf(state);
  const event = { ...baseEvent(data, state), ...(eventType === 'FLAG_DELETED' ? deleted(state, environment) : updated(data, environment)) };
  const previousUnknown = eventType === 'FLAG_UPDATED' && !data.previous_state;
  return { ok: true, changes: [{ event, environment, ...(previousUnknown ? { previousUnknown } : {}) }], ignored: 0 };
}

function baseEvent(data: FlagStateChange, state: FeatureState): Pick<FlagEvent, 'projectId' | 'projectName' | 'modifiedBy' | 'occurredAt'> {
  const project = state.feature.project;
  return {
    projectId: String(typeof project === 'object' ? project.id : project),
    projectName: typeof project === 'object' ? (project.name ?? undefined) : undefined,
    // changed_by is the user's email, else the API key's name, else "" (api/features/tasks.py).
    modifiedBy: data.changed_by || 'Flagsmith',
    occurredAt: data.timestamp || undefined,
  };
}

function deleted(state: FeatureState, environment: DeploymentRef): Pick<FlagEvent, 'action' | 'oldFlag'> {
  return { action: 'deleted', oldFlag: snapshotOf(state, environment) };
}

/** Without previous_state (the feature state has no earlier history, e.g. just created) the previous state is unknown. */
function updated(data: FlagStateChange, environment: DeploymentRef): Pick<FlagEvent, 'action' | 'flag' | 'oldFlag'> {
  const after = data.new_state ? snapshotOf(data.new_state, environment) : undefined;
  const previous = data.previous_state && !isOverride(data.previous_state) ? withSplitOf(data.previous_state, data.new_state) : undefined;
  const before = previous ? snapshotOf(previous, environment) : undefined;
  return { action: 'updated', flag: after, ...(before ? { oldFlag: before } : {}) };
}

/** The flag in one environment. The feature's name is its key: SDKs ask for flags by name. */
function snapshotOf(state: FeatureState, environment: DeploymentRef): FlagSnapshot {
  const split = state.multivariate_feature_state_values ?? [];
  return {
    id: state.feature.name,
    key: state.feature.name,
    name: state.feature.name,
    description: state.feature.description ?? undefined,
    enabled: state.enabled,
    deployments: [environment],
    variants: split.length ? split.map((v) => ({ key: valueKey(v.multivariate_feature_option.value), value: v.multivariate_feature_option.value })) : undefined,
    rolloutWeights: split.length ? Object.fromEntries(split.map((v) => [valueKey(v.multivariate_feature_option.value), v.percentage_allocation])) : undefined,
    value: state.feature_state_value ?? undefined,
  };
}

/**
 * The docs' sample leaves `multivariate_feature_state_values` out of previous_state (the code always sends it): not sent
 * is not "no split", so the split is taken as unchanged, rather than reported as added.
 */
function withSplitOf(previous: FeatureState, current: FeatureState | null): FeatureState {
  if (previous.multivariate_feature_state_values !== undefined || !current) return previous;
  return { ...previous, multivariate_feature_state_values: current.multivariate_feature_state_values };
}

function deploymentOf(state: FeatureState): DeploymentRef {
  const env = state.environment;
  if (typeof env !== 'object') return { id: String(env), label: String(env) };
  return { id: String(env.id), label: env.name || String(env.id) };
}

/** An override names its identity (by id, or only by identifier for Edge identities) or its segment. */
function isOverride(state: FeatureState): boolean {
  return state.identity != null || Boolean(state.identity_identifier) || state.feature_segment != null;
}

function valueKey(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

function refused(error: z.ZodError, prefix?: string): Translation {
  return { ok: false, error: 'not a Flagsmith webhook', issues: issuesOf(error, prefix) };
}
