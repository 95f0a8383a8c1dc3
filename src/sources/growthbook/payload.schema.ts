import { z } from 'zod';

/**
 * A feature's settings in one environment (FeatureV1 in packages/shared/src/validators/features.ts):
 * `rules` is a union of force / rollout / experiment… rules, kept as they are.
 */
const environmentSchema = z.looseObject({
  enabled: z.boolean(),
  defaultValue: z.string().optional(),
  rules: z.array(z.looseObject({ type: z.string().optional() })).optional(),
});
export type GrowthBookEnvironment = z.infer<typeof environmentSchema>;

/** The feature in the REST API v1 shape (apiFeatureValidator); `id` is the feature key, `project` one project id or "". */
export const featureSchema = z.looseObject({
  id: z.string().min(1),
  project: z.string().optional(),
  description: z.string().nullish(),
  archived: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  dateUpdated: z.string().optional(),
  environments: z.record(z.string(), environmentSchema),
});
export type GrowthBookFeature = z.infer<typeof featureSchema>;

/** Who acted (packages/shared/src/validators/event-user.ts): a dashboard user, an API key, or the system. */
const userSchema = z.looseObject({
  type: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  apiKey: z.string().optional(),
  subtype: z.string().optional(),
});
export type GrowthBookUser = z.infer<typeof userSchema>;

/**
 * The event webhook body (NotificationEventPayload, packages/shared/types/events/base-types.d.ts):
 * payload type "json" has `created` (epoch ms) and `data.object`; the legacy "raw" type has `data.current`
 * / `data.previous` and no `created` (packages/back-end/src/events/handlers/legacy.ts).
 */
export const envelopeSchema = z.looseObject({
  event: z.string().min(1),
  object: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
  user: userSchema.nullish(),
  environments: z.array(z.string()).optional(),
  created: z.number().optional(),
});
export type GrowthBookEnvelope = z.infer<typeof envelopeSchema>;

/** feature.updated only: the previous value of each top-level key that changed (EventModel.ts diffData). */
export const previousAttributesSchema = z.record(z.string(), z.unknown());
