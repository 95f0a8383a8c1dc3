import { z } from 'zod';

/**
 * Flagsmith's webhook body: `{"data": …, "event_type": …}` as `api/webhooks/webhooks.py` sends it, with a feature state
 * from `Webhook.generate_webhook_feature_state_data` (`api/environments/models.py`). Unknown fields are allowed.
 * Older Flagsmith versions sent `environment` and `feature.project` as bare ids, so both forms are read.
 */
const id = z.union([z.number(), z.string().min(1)]);

const namedOrId = z.union([id, z.looseObject({ id, name: z.string().nullish() })]);

const multivariateValue = z.looseObject({
  multivariate_feature_option: z.looseObject({ value: z.unknown() }),
  percentage_allocation: z.number(),
});

const featureState = z.looseObject({
  enabled: z.boolean(),
  environment: namedOrId,
  feature: z.looseObject({
    id,
    name: z.string().min(1),
    description: z.string().nullish(),
    type: z.string().nullish(),
    project: namedOrId,
  }),
  identity: z.unknown().optional(),
  identity_identifier: z.string().nullish(),
  feature_segment: z.unknown().optional(),
  feature_state_value: z.unknown().optional(),
  multivariate_feature_state_values: z.array(multivariateValue).nullish(),
});
export type FeatureState = z.infer<typeof featureState>;

export const envelopeSchema = z.looseObject({ event_type: z.string(), data: z.unknown() });

/** `FLAG_UPDATED` and `FLAG_DELETED` (api/features/tasks.py `trigger_feature_state_change_webhooks`). */
export const flagStateChangeSchema = z.looseObject({
  changed_by: z.string().nullish(),
  timestamp: z.string().nullish(),
  new_state: featureState.nullable(),
  previous_state: featureState.nullish(),
});
export type FlagStateChange = z.infer<typeof flagStateChangeSchema>;
