import { z } from 'zod';

/** A tag as Unleash sends it; its UI shows it as `type:value` (frontend/src/utils/format-tag.ts). */
export const tagSchema = z.looseObject({ type: z.string(), value: z.string() });
export type UnleashTag = z.infer<typeof tagSchema>;

/**
 * The Webhook integration's default body: the stored event, `JSON.stringify(event)` of
 * event-store.ts `rowToEvent` (id, type, createdBy, createdAt, createdByUserId, data, preData, tags,
 * featureName, project, environment). Fields Unleash adds later pass through.
 */
export const unleashEventSchema = z.looseObject({
  id: z.int(),
  type: z.string().min(1),
  createdBy: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  featureName: z.string().min(1).nullish(),
  project: z.string().min(1).nullish(),
  environment: z.string().min(1).nullish(),
  data: z.unknown().optional(),
  preData: z.unknown().optional(),
  tags: z.array(tagSchema).nullish(),
});
export type UnleashEvent = z.infer<typeof unleashEventSchema>;

/** IStrategyConfig (src/lib/types/model.ts); parameters are strings, e.g. `rollout: "32"`. */
export const strategySchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  title: z.string().nullish(),
  disabled: z.boolean().nullish(),
  constraints: z.array(z.unknown()).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  segments: z.array(z.unknown()).optional(),
  variants: z.array(z.unknown()).optional(),
});
export type UnleashStrategy = z.infer<typeof strategySchema>;

/** A flag's metadata (FeatureToggle) as feature-created, -metadata-updated and -deleted carry it. */
export const featureSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().nullish(),
  type: z.string().optional(),
  project: z.string().optional(),
  stale: z.boolean().optional(),
  impressionData: z.boolean().optional(),
  variants: z.array(z.unknown()).optional(),
});
export type UnleashFeature = z.infer<typeof featureSchema>;

export const variantsSchema = z.looseObject({ variants: z.array(z.unknown()) });
export const projectChangeSchema = z.looseObject({ oldProject: z.string(), newProject: z.string() });
