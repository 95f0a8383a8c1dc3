import { z } from 'zod';

/**
 * A LaunchDarkly webhook body is an audit-log entry (`AuditLogEntryRep` in LaunchDarkly's OpenAPI document).
 * Only the fields we read are described; every other field is allowed, because LaunchDarkly adds fields over time.
 * Objects drop the fields they do not describe (z.object), which spares copying them on every delivery; only
 * targeting rules keep theirs (z.looseObject), because a snapshot carries the rules as LaunchDarkly sent them.
 */
const access = z.object({ action: z.string(), resource: z.string() });

const named = z.object({ name: z.string().nullish() });

const member = z.object({ email: z.string().nullish(), firstName: z.string().nullish(), lastName: z.string().nullish() });

/** Every entry, whatever it is about: enough to tell a flag entry from a member, segment or environment one. */
export const auditLogEnvelopeSchema = z.object({
  _id: z.string().min(1),
  date: z.number().int().nonnegative(),
  kind: z.string(),
  accesses: z.array(access),
});

const variation = z.object({ _id: z.string().nullish(), value: z.unknown(), name: z.string().nullish(), description: z.string().nullish() });

const weightedVariation = z.object({ variation: z.number().int(), weight: z.number() });

/** What a flag serves: one variation, or a percentage rollout (weights in thousandths of a percent). */
const variationOrRollout = z.object({
  variation: z.number().int().nullish(),
  rollout: z.object({ variations: z.array(weightedVariation) }).nullish(),
});

const clause = z.looseObject({ op: z.string().nullish(), values: z.array(z.unknown()).nullish() });

const rule = z.looseObject({ clauses: z.array(clause).nullish() });

/** A flag's configuration in one environment, as `previousVersion.environments.<key>` gives it. */
const environmentConfig = z.object({
  on: z.boolean().nullish(),
  _environmentName: z.string().nullish(),
  fallthrough: variationOrRollout.nullish(),
  offVariation: z.number().int().nullish(),
  rules: z.array(rule).nullish(),
  targets: z.array(z.unknown()).nullish(),
  contextTargets: z.array(z.unknown()).nullish(),
  prerequisites: z.array(z.unknown()).nullish(),
});
export type EnvironmentConfig = z.infer<typeof environmentConfig>;

/** The flag before or after the change (`previousVersion` / `currentVersion`). */
const flagVersion = z.object({
  key: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  archived: z.boolean().nullish(),
  deprecated: z.boolean().nullish(),
  temporary: z.boolean().nullish(),
  variations: z.array(variation).nullish(),
  environments: z.record(z.string(), environmentConfig).nullish(),
});
export type FlagVersion = z.infer<typeof flagVersion>;

/** An entry of kind `flag`. */
export const flagEntrySchema = auditLogEnvelopeSchema.extend({
  name: z.string().nullish(),
  titleVerb: z.string().nullish(),
  member: member.nullish(),
  token: named.nullish(),
  app: named.nullish(),
  subject: named.nullish(),
  parent: z.object({ name: z.string().nullish(), resource: z.string().nullish() }).nullish(),
  previousVersion: flagVersion.nullish(),
  currentVersion: flagVersion.nullish(),
});
export type FlagEntry = z.infer<typeof flagEntrySchema>;
