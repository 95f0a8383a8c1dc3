import { z } from 'zod';
import { FLAG_ACTIONS, type FlagEvent, type FlagId } from '../flag-change/model.js';
import { eventsBodyParser, type ParsedEvents } from '../http/events-body.js';

/** The most events one request may carry (contract section 3). */
export const MAX_EVENTS_PER_REQUEST = 500;

/**
 * Text that is stored in columns of its own (catalog names, tags, the idempotency key): PostgreSQL text
 * cannot hold U+0000, so it is refused here, the same on both databases, instead of failing the insert.
 */
const columnText = z.string().refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL (\\u0000) characters' });

/**
 * Projects, deployments and flags are named by a number (Amplitude, numeric ids) or by a platform's key
 * (contract section 7); either is kept as given, so 7 and "7" are different ids.
 */
const MAX_KEY_LENGTH = 500;
// One check, not a union: a union parses every failing branch first, on the hot path of every deployment ref.
const flagId = z.custom<FlagId>(
  (v) => Number.isSafeInteger(v) || (typeof v === 'string' && v.length > 0 && v.length <= MAX_KEY_LENGTH && !v.includes('\u0000')),
  {
    message: `must be an integer or a key of 1 to ${MAX_KEY_LENGTH} characters without NUL`,
  },
);

/** A deployment is named by its id, or by `{ id, label }` as the flag platform exports it. */
const deploymentRef = z.union([z.looseObject({ id: flagId, label: columnText.nullish() }), flagId]);

/**
 * A flag as the platform sends it. Known fields are typed loosely enough for real exports;
 * anything else is kept untouched and forwarded (looseObject).
 */
export const flagSchema = z.looseObject({
  id: z.union([z.number(), flagId]),
  key: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  enabled: z.boolean().nullish(),
  deployments: z.array(deploymentRef).nullish(),
  tags: z.array(columnText).nullish(),
  variants: z.array(z.unknown()).nullish(),
  rolloutPercentage: z.number().nullish(),
  rolloutWeights: z.record(z.string(), z.unknown()).nullish(),
  targetSegments: z.array(z.unknown()).nullish(),
  evaluationMode: z.string().nullish(),
  bucketingKey: z.string().nullish(),
  version: z.union([z.number(), z.string()]).nullish(),
});

export const flagEventSchema = z
  .looseObject({
    eventId: columnText.min(1).max(200).nullish(),
    projectId: flagId,
    projectName: columnText.nullish(),
    action: z.enum(FLAG_ACTIONS),
    modifiedBy: z.string(),
    occurredAt: z.iso.datetime({ offset: true, local: true }).nullish(),
    flag: flagSchema.nullish(),
    oldFlag: flagSchema.nullish(),
  })
  .superRefine((event, ctx) => {
    // Which snapshots an action carries: created has no "before", deleted no "after".
    if (event.action !== 'deleted' && !event.flag) {
      ctx.addIssue({ code: 'custom', path: ['flag'], message: `flag is required when action is "${event.action}"` });
    }
    if (event.action !== 'created' && !event.oldFlag) {
      ctx.addIssue({ code: 'custom', path: ['oldFlag'], message: `oldFlag is required when action is "${event.action}"` });
    }
  });

export type { ValidationIssue } from '../http/validation-issues.js';
export type ParsedBody = ParsedEvents<FlagEvent>;

/**
 * One event, or `{ "events": [...] }` of at most 500; all-or-nothing.
 * Typed as the core model, so the schema fails to compile when it stops producing one.
 */
export const parseFlagEventsBody: (body: unknown) => ParsedBody = eventsBodyParser(flagEventSchema, MAX_EVENTS_PER_REQUEST);
