import type { z } from 'zod';
import { canonicalJson } from '../../flag-change/diff.js';
import type { DeploymentRef, FlagEvent, FlagSnapshot } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { SourceChange, Translation, TranslationIssue } from '../source-kind.js';
import {
  envelopeSchema,
  featureSchema,
  previousAttributesSchema,
  type GrowthBookEnvelope,
  type GrowthBookFeature,
  type GrowthBookUser,
} from './payload.schema.js';

/** The events we notify about; every other kind (experiments, revisions, saved groups, the Test button…) is ignored. */
const FEATURE_EVENTS = new Set(['feature.created', 'feature.updated', 'feature.deleted']);

type Common = Pick<FlagEvent, 'projectId' | 'projectName' | 'modifiedBy' | 'occurredAt'>;
type Parsed<T> = { value: T } | { issues: TranslationIssue[] };

/**
 * A feature in no project has `project: ""` (apiFeatureValidator). Its changes go to this project, which alerts and
 * `subscribe` can name; GrowthBook's own ids are generated `prj_…`, so it cannot be taken for one of them.
 */
export const NO_PROJECT = { projectId: 'no-project', projectName: 'No project' } as const;

/** One GrowthBook event webhook body → one change per environment it touches, plus one for the flag itself. */
export function translateGrowthBook(body: unknown): Translation {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return invalid(issuesOf(envelope.error));
  const payload = envelope.data;
  if (!FEATURE_EVENTS.has(payload.event)) return { ok: true, changes: [], ignored: 1 };

  const sides = featureSides(payload);
  if ('issues' in sides) return invalid(sides.issues);
  const { current, previous } = sides.value;
  const feature = current ?? previous;
  if (!feature) return invalid([{ path: 'data.object', message: `the feature is required for ${payload.event}` }]);
  const common: Common = {
    ...projectOf(feature),
    modifiedBy: actorOf(payload.user),
    occurredAt: occurredAt(payload, feature),
  };
  const named = (payload.environments ?? []).map(environmentRef);

  if (payload.event === 'feature.created') {
    return translated([{ event: { ...common, action: 'created', flag: flagSnapshot(feature, named) }, environment: null }]);
  }
  if (payload.event === 'feature.deleted') {
    return translated([{ event: { ...common, action: 'deleted', oldFlag: flagSnapshot(feature, named) }, environment: null }]);
  }
  if (!current || !previous) {
    return invalid([{ path: 'data.previous_attributes', message: 'the previous attributes are required for feature.updated' }]);
  }
  const changes = updatedChanges(common, previous, current, named);
  return changes.length > 0 ? translated(changes) : { ok: true, changes: [], ignored: 1 };
}

/**
 * feature.updated: one change per environment whose settings differ, and one flag-level change (no environment)
 * when anything of the flag itself differs (archived, description, default value, tags, project…).
 */
function updatedChanges(common: Common, before: GrowthBookFeature, after: GrowthBookFeature, named: DeploymentRef[]): SourceChange[] {
  const environments = [...new Set([...Object.keys(before.environments), ...Object.keys(after.environments)])];
  const changes: SourceChange[] = environments
    .filter((env) => canonicalJson(environmentConfig(before, env)) !== canonicalJson(environmentConfig(after, env)))
    .map((env) => ({
      event: { ...common, action: 'updated', oldFlag: environmentSnapshot(before, env), flag: environmentSnapshot(after, env) },
      environment: environmentRef(env),
    }));
  if (canonicalJson(flagConfig(before)) !== canonicalJson(flagConfig(after))) {
    changes.push({
      event: { ...common, action: 'updated', oldFlag: flagSnapshot(before, named), flag: flagSnapshot(after, named) },
      environment: null,
    });
  }
  return changes;
}

/** The feature after and before: payload type "json" (`object` + `previous_attributes`) or the legacy "raw". */
function featureSides(payload: GrowthBookEnvelope): Parsed<{ current?: GrowthBookFeature; previous?: GrowthBookFeature }> {
  const { data } = payload;
  if (!('object' in data)) {
    const current = optional(data.current, 'data.current');
    const previous = optional(data.previous, 'data.previous');
    if ('issues' in current) return current;
    if ('issues' in previous) return previous;
    return { value: { current: current.value, previous: previous.value } };
  }
  const object = parse(featureSchema, data.object, 'data.object');
  if ('issues' in object) return object;
  // feature.deleted sends the deleted feature as `object`: it is the "before".
  if (payload.event === 'feature.deleted') return { value: { previous: object.value } };
  if (data.previous_attributes === undefined) return { value: { current: object.value } };
  // A key new in this update has no previous value to send (JSON drops undefined), so it reads as unchanged.
  const changed = parse(previousAttributesSchema, data.previous_attributes, 'data.previous_attributes');
  if ('issues' in changed) return changed;
  const previous = parse(featureSchema, { ...object.value, ...changed.value }, 'data.previous_attributes');
  if ('issues' in previous) return previous;
  return { value: { current: object.value, previous: previous.value } };
}

/** The flag as a whole: its own fields, on when on in any environment, and the environments the payload names. */
function flagSnapshot(feature: GrowthBookFeature, deployments: DeploymentRef[]): FlagSnapshot {
  return {
    ...flagConfig(feature),
    ...identity(feature),
    enabled: Object.values(feature.environments).some((settings) => settings.enabled),
    deployments,
  };
}

/** The flag in one environment: on/off and its rules there. */
function environmentSnapshot(feature: GrowthBookFeature, env: string): FlagSnapshot {
  const config = environmentConfig(feature, env);
  return {
    ...identity(feature),
    ...config,
    enabled: feature.environments[env]?.enabled ?? null,
    deployments: [environmentRef(env)],
    rolloutPercentage: rolloutPercentageOf(config.rules),
  };
}

function identity(feature: GrowthBookFeature): FlagSnapshot {
  return { id: feature.id, key: feature.id, name: feature.id, tags: feature.tags ?? [] };
}

/** Top-level fields that are configuration: dates and the revision are bookkeeping, environments are per change. */
function flagConfig(feature: GrowthBookFeature): Record<string, unknown> {
  return without(feature, ['id', 'environments', 'dateCreated', 'dateUpdated', 'revision']);
}

/**
 * An environment's settings as configuration. `definition` (the SDK payload, a JSON string) and `draft`
 * repeat or preview the rest, and `defaultValue` is the flag's own default copied into every environment
 * (getApiFeatureObj in packages/back-end/src/services/features.ts), so it is compared once, at flag level.
 */
function environmentConfig(feature: GrowthBookFeature, env: string): Record<string, unknown> {
  const settings = feature.environments[env];
  return settings ? without(settings, ['definition', 'draft', 'defaultValue']) : { enabled: null };
}

function without(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** A percentage when the environment has exactly one live rollout rule (coverage 0..1); else the rules say it all. */
function rolloutPercentageOf(rules: unknown): number | null {
  if (!Array.isArray(rules)) return null;
  const coverages = (rules as unknown[]).flatMap((rule) =>
    isRecord(rule) && rule.type === 'rollout' && rule.enabled !== false && typeof rule.coverage === 'number' ? [rule.coverage] : [],
  );
  const [only] = coverages;
  return coverages.length === 1 && only !== undefined ? Math.round(only * 10000) / 100 : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GrowthBook sends a project's id only (no name): the message shows the id. */
function projectOf(feature: GrowthBookFeature): Pick<FlagEvent, 'projectId' | 'projectName'> {
  return feature.project ? { projectId: feature.project } : NO_PROJECT;
}

/** GrowthBook environments are known by their id only; it is the label too. */
function environmentRef(env: string): DeploymentRef {
  return { id: env, label: env };
}

/** Email, else name, else the API key (an API key's name is its description), else the system. */
function actorOf(user: GrowthBookUser | null | undefined): string {
  if (!user) return 'GrowthBook';
  const known = [user.email, user.name, user.apiKey].find((value) => value !== undefined && value !== '');
  if (known) return known;
  return user.type === 'system' && user.subtype ? `GrowthBook (${user.subtype})` : 'GrowthBook';
}

/** `created` is epoch ms (payload type "json"); the legacy body has none, so the feature's dateUpdated stands in. */
function occurredAt(payload: GrowthBookEnvelope, feature: GrowthBookFeature): string | undefined {
  if (payload.created !== undefined && Number.isFinite(payload.created)) return new Date(payload.created).toISOString();
  return feature.dateUpdated || undefined;
}

function optional(value: unknown, path: string): Parsed<GrowthBookFeature | undefined> {
  return value === undefined || value === null ? { value: undefined } : parse(featureSchema, value, path);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, path: string): Parsed<T> {
  const result = schema.safeParse(value);
  return result.success ? { value: result.data } : { issues: issuesOf(result.error, path) };
}

function translated(changes: SourceChange[]): Translation {
  return { ok: true, changes, ignored: 0 };
}

function invalid(issues: TranslationIssue[]): Translation {
  return { ok: false, error: 'not a GrowthBook feature event', issues };
}
