import { z } from 'zod';

/**
 * Flipt v1's audit event as its webhook sink posts it (flipt-io/flipt v1.61.1 internal/server/audit/events.go).
 * The payload's shape depends on `type` and `action`, so it is read per type in translate; unknown fields are allowed.
 */
export const fliptEventSchema = z.looseObject({
  version: z.string(),
  type: z.string().min(1),
  action: z.string().min(1),
  metadata: z
    .looseObject({
      actor: z
        .looseObject({
          authentication: z.string().optional(),
          ip: z.string().optional(),
          email: z.string().optional(),
          name: z.string().optional(),
        })
        .nullish(),
    })
    .nullish(),
  payload: z.unknown(),
  timestamp: z.string(),
  /** "success" | "denied" (absent before event version 0.2) */
  status: z.string().optional(),
});
export type FliptEvent = z.infer<typeof fliptEventSchema>;

/** audit.Flag on create and update; DeleteFlagRequest `{key, namespace_key}` on delete. */
export const flagPayloadSchema = z.looseObject({
  key: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  namespace_key: z.string().optional(),
  default_variant: z.string().optional(),
});

/**
 * What every payload about a flag's parts carries: audit.Variant, audit.Rule, audit.Rollout, their Delete…Request,
 * and Order{Rules,Rollouts}Request (which have no `id` but `rule_ids` / `rollout_ids`).
 */
export const flagPartPayloadSchema = z.looseObject({
  flag_key: z.string().min(1),
  id: z.string().optional(),
  namespace_key: z.string().optional(),
  rule_ids: z.array(z.string()).optional(),
  rollout_ids: z.array(z.string()).optional(),
});
