import type { z } from 'zod';
import type { DeploymentRef, FlagEvent, FlagSnapshot } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { SourceChange, Translation, TranslationIssue } from '../source-kind.js';
import {
  featureSchema,
  projectChangeSchema,
  strategySchema,
  tagSchema,
  unleashEventSchema,
  variantsSchema,
  type UnleashEvent,
  type UnleashFeature,
  type UnleashStrategy,
  type UnleashTag,
} from './payload.schema.js';

/** What every change of one event shares. */
interface EventContext {
  event: UnleashEvent;
  /** the flag as far as every event names it: Unleash's flag name is its key */
  base: FlagSnapshot;
  common: Pick<FlagEvent, 'projectId' | 'modifiedBy' | 'occurredAt'>;
}

type Outcome = SourceChange | { issues: TranslationIssue[] };
type Handler = (context: EventContext) => Outcome;

/**
 * The event types we notify about (the Webhook integration's list in src/lib/addons/webhook-definition.ts, plus
 * feature-deleted and feature-environment-variants-updated should one arrive). Everything else (change requests,
 * release plans, potentially-stale marks, lifecycle completion, users, projects…) is ignored.
 */
const HANDLERS = new Map<string, Handler>([
  ['feature-created', created],
  ['feature-environment-enabled', (c) => toggled(c, true)],
  ['feature-environment-disabled', (c) => toggled(c, false)],
  ['feature-strategy-add', strategyChanged],
  ['feature-strategy-update', strategyChanged],
  ['feature-strategy-remove', strategyChanged],
  // Archiving is what deleting a flag in Unleash does (permanent deletion is only from the archive).
  ['feature-archived', (c) => ({ event: { ...c.common, action: 'deleted', oldFlag: c.base }, environment: null })],
  ['feature-deleted', deleted],
  ['feature-revived', (c) => flagLevel(c, { archived: true }, { archived: false })],
  ['feature-stale-on', (c) => flagLevel(c, { stale: false }, { stale: true })],
  ['feature-stale-off', (c) => flagLevel(c, { stale: true }, { stale: false })],
  ['feature-metadata-updated', metadataUpdated],
  ['feature-updated', metadataUpdated],
  ['feature-variants-updated', variantsUpdated],
  ['feature-environment-variants-updated', variantsUpdated],
  ['feature-project-change', projectChanged],
  ['feature-tagged', (c) => tagsChanged(c, 'data')],
  ['feature-untagged', (c) => tagsChanged(c, 'preData')],
]);

/** One Unleash event (the Webhook integration's default body) → at most one change. */
export function translateUnleash(body: unknown): Translation {
  const parsed = unleashEventSchema.safeParse(body);
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const event = parsed.data;
  const deliveryId = String(event.id);
  const handler = HANDLERS.get(event.type);
  if (!handler) return { ok: true, changes: [], ignored: 1, deliveryId };

  const { featureName: name, project } = event;
  if (!name || !project) {
    const missing = (['featureName', 'project'] as const).filter((field) => !event[field]);
    return invalid(missing.map((field) => ({ path: field, message: `required for ${event.type} events` })));
  }
  // The event's tags are the flag's at the time (event-service enhanceEventsWithTags); absent, they are unknown, not none.
  const tags = event.tags ? { tags: event.tags.map(tagText) } : {};
  const outcome = handler({
    event,
    base: { id: name, key: name, name, ...tags },
    common: { projectId: project, modifiedBy: event.createdBy, occurredAt: event.createdAt },
  });
  if ('issues' in outcome) return invalid(outcome.issues);
  // Every event but a creation names one part of the flag (one environment's on/off, one strategy, the variants,
  // the metadata, a tag) and never the rest, which ingest keeps from the last state stored.
  const change = outcome.event.action === 'created' ? outcome : { ...outcome, partial: true };
  return { ok: true, changes: [change], ignored: 0, deliveryId };
}

function created(c: EventContext): Outcome {
  const data = parse(featureSchema, c.event.data, 'data');
  if ('issues' in data) return data;
  // Unleash does not say where a new flag is on, so `enabled` stays absent.
  return { event: { ...c.common, action: 'created', flag: { ...c.base, ...metadataFields(data.value) } }, environment: null };
}

/** feature-environment-enabled/-disabled carry no data and no previous state: the type is the new state. */
function toggled(c: EventContext, enabled: boolean): Outcome {
  const environment = environmentOf(c);
  if ('issues' in environment) return environment;
  const flag = { ...c.base, enabled, deployments: [environment.ref] };
  return { event: { ...c.common, action: 'updated', flag }, environment: environment.ref, previousUnknown: true };
}

/**
 * A strategy added, edited or removed in one environment: `data` is the strategy after, `preData` before.
 * Unleash does not say whether the flag is on there, so `enabled` stays absent on both sides.
 */
function strategyChanged(c: EventContext): Outcome {
  const environment = environmentOf(c);
  if ('issues' in environment) return environment;
  const after = optional(strategySchema, c.event.data, 'data');
  const before = optional(strategySchema, c.event.preData, 'preData');
  if ('issues' in after) return after;
  if ('issues' in before) return before;
  if (!after.value && !before.value) return { issues: [{ path: 'data', message: `a strategy is required for ${c.event.type}` }] };
  const scoped = { ...c.base, deployments: [environment.ref] };
  return {
    event: {
      ...c.common,
      action: 'updated',
      oldFlag: { ...scoped, ...strategyFields(before.value) },
      flag: { ...scoped, ...strategyFields(after.value) },
    },
    environment: environment.ref,
  };
}

function deleted(c: EventContext): Outcome {
  const before = optional(featureSchema, c.event.preData, 'preData');
  if ('issues' in before) return before;
  return { event: { ...c.common, action: 'deleted', oldFlag: { ...c.base, ...metadataFields(before.value) } }, environment: null };
}

/** feature-metadata-updated (and the deprecated feature-updated, which sends no preData). */
function metadataUpdated(c: EventContext): Outcome {
  const after = parse(featureSchema, c.event.data, 'data');
  const before = optional(featureSchema, c.event.preData, 'preData');
  if ('issues' in after) return after;
  if ('issues' in before) return before;
  if (!before.value)
    return { event: { ...c.common, action: 'updated', flag: { ...c.base, ...metadataFields(after.value) } }, environment: null, previousUnknown: true };
  return flagLevel(c, metadataFields(before.value), metadataFields(after.value));
}

/** Variants of the flag (feature-variants-updated) or of one environment (feature-environment-variants-updated). */
function variantsUpdated(c: EventContext): Outcome {
  const after = parse(variantsSchema, c.event.data, 'data');
  const before = optional(variantsSchema, c.event.preData, 'preData');
  if ('issues' in after) return after;
  if ('issues' in before) return before;
  // Without preData the variants before are unknown (ingest takes the stored ones), not none.
  const oldVariants = before.value ? { variants: before.value.variants } : {};
  const newVariants = { variants: after.value.variants };
  if (!c.event.environment) return flagLevel(c, oldVariants, newVariants);
  const ref = environmentRef(c.event.environment);
  const scoped = { ...c.base, deployments: [ref] };
  return { event: { ...c.common, action: 'updated', oldFlag: { ...scoped, ...oldVariants }, flag: { ...scoped, ...newVariants } }, environment: ref };
}

/** The event's `project` is already the new one (FeatureChangeProjectEvent). */
function projectChanged(c: EventContext): Outcome {
  const data = parse(projectChangeSchema, c.event.data, 'data');
  if ('issues' in data) return data;
  return flagLevel(c, { project: data.value.oldProject }, { project: data.value.newProject });
}

/**
 * The tag added is in `data`, the one removed in `preData` (feature-tag-service.ts); the event's `tags` are read
 * after the change, but we do not rely on that: the new set is recomputed from the tag itself.
 */
function tagsChanged(c: EventContext, field: 'data' | 'preData'): Outcome {
  const tag = parse(tagSchema, c.event[field], field);
  if ('issues' in tag) return tag;
  const text = tagText(tag.value);
  const others = (c.base.tags ?? []).filter((t) => t !== text);
  const withTag = [...others, text];
  return field === 'data' ? flagLevel(c, { tags: others }, { tags: withTag }) : flagLevel(c, { tags: withTag }, { tags: others });
}

/** A change Unleash ties to no environment: both snapshots are the flag plus the fields that changed. */
function flagLevel(c: EventContext, before: Partial<FlagSnapshot>, after: Partial<FlagSnapshot>): SourceChange {
  return {
    event: { ...c.common, action: 'updated', oldFlag: { ...c.base, ...before }, flag: { ...c.base, ...after } },
    environment: null,
  };
}

/** Unleash environments have only a name, which is both the key and the label. */
function environmentRef(name: string): DeploymentRef {
  return { id: name, label: name };
}

function environmentOf(c: EventContext): { ref: DeploymentRef } | { issues: TranslationIssue[] } {
  if (!c.event.environment) return { issues: [{ path: 'environment', message: `required for ${c.event.type} events` }] };
  return { ref: environmentRef(c.event.environment) };
}

/** The parts of a strategy as snapshot fields, so the diff names a rollout, a segment or a constraint change. */
function strategyFields(strategy: UnleashStrategy | undefined): Partial<FlagSnapshot> {
  if (!strategy) return { strategy: null, rolloutPercentage: null, constraints: null, targetSegments: null };
  const { rollout, percentage, ...parameters } = strategy.parameters ?? {};
  return {
    strategy: {
      id: strategy.id ?? null,
      name: strategy.name,
      title: strategy.title ?? null,
      disabled: strategy.disabled ?? false,
      parameters,
      variants: strategy.variants ?? [],
    },
    // flexibleRollout names it `rollout`, the older gradual rollouts `percentage`; both are strings of a number.
    rolloutPercentage: percentOf(rollout ?? percentage),
    constraints: strategy.constraints ?? [],
    targetSegments: strategy.segments ?? [],
  };
}

function percentOf(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? n : null;
}

/** A flag's metadata as snapshot fields; bookkeeping (createdAt, lastSeenAt, archivedAt) is left out. */
function metadataFields(feature: UnleashFeature | undefined): Partial<FlagSnapshot> {
  if (!feature) return {};
  const fields: Partial<FlagSnapshot> = {};
  if (feature.description !== undefined) fields.description = feature.description;
  if (feature.type !== undefined) fields.type = feature.type;
  if (feature.stale !== undefined) fields.stale = feature.stale;
  if (feature.impressionData !== undefined) fields.impressionData = feature.impressionData;
  if (feature.variants !== undefined) fields.variants = feature.variants;
  return fields;
}

function tagText(tag: UnleashTag): string {
  return `${tag.type}:${tag.value}`;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, path: string): { value: T } | { issues: TranslationIssue[] } {
  const result = schema.safeParse(value);
  return result.success ? { value: result.data } : { issues: issuesOf(result.error, path) };
}

/** null and absent both mean "not sent" (preData of an added strategy, data of a removed one). */
function optional<T>(schema: z.ZodType<T>, value: unknown, path: string): { value: T | undefined } | { issues: TranslationIssue[] } {
  return value === null || value === undefined ? { value: undefined } : parse(schema, value, path);
}

function invalid(issues: TranslationIssue[]): Translation {
  return { ok: false, error: 'not an Unleash webhook event', issues };
}
