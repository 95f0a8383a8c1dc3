import { z } from 'zod';
import { eventsBodyParser, type ParsedEvents } from '../http/events-body.js';

export const MAX_EXPERIMENT_EVENTS_PER_REQUEST = 500;
const MAX_PEOPLE = 200;
const MAX_VARIANTS = 50;

// PostgreSQL text cannot hold U+0000: refused here, the same on both databases.
const columnText = z.string().refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL (\\u0000) characters' });

/** A person is a Slack user id (U…/W…, notified by DM) or an email address (notified by email). */
export const personSchema = z.union([z.string().regex(/^[UW][A-Z0-9]{2,20}$/), z.email().max(254)], {
  error: 'must be a Slack user id (U… or W…) or an email address',
});

const experimentId = z.union([columnText.min(1).max(200), z.int().nonnegative()]).transform(String);
const instant = z.iso.datetime({ offset: true, local: true }).transform((v) => Date.parse(v));

const common = {
  eventId: columnText.min(1).max(200).nullish(),
  experimentId,
  occurredAt: z.iso.datetime({ offset: true, local: true }).nullish(),
};

const scheduled = z
  .looseObject({
    ...common,
    type: z.literal('experiment.scheduled'),
    key: columnText.min(1).max(200),
    name: columnText.min(1).max(500),
    projectId: z.int(),
    startAt: instant,
    endAt: instant,
    owners: z.array(personSchema).max(MAX_PEOPLE),
    subscribers: z.array(personSchema).max(MAX_PEOPLE).default([]),
  })
  .refine((e) => e.endAt > e.startAt, { path: ['endAt'], message: 'endAt must be after startAt' });

const variantSchema = z.object({
  variant: columnText.min(1).max(200),
  exposures: z.int().nonnegative(),
  allocation: z.number().nonnegative(),
});

const exposures = z
  .looseObject({ ...common, type: z.literal('experiment.exposures'), variants: z.array(variantSchema).min(2).max(MAX_VARIANTS) })
  .refine((e) => new Set(e.variants.map((v) => v.variant)).size === e.variants.length, { path: ['variants'], message: 'variant names must be unique' })
  .refine((e) => e.variants.some((v) => v.allocation > 0), { path: ['variants'], message: 'at least one variant needs a planned allocation above 0' });

const metricResult = z
  .looseObject({
    ...common,
    type: z.literal('experiment.metric_result'),
    metric: columnText.min(1).max(200),
    isRecommendationMetric: z.boolean(),
    pValue: z.number().min(0).max(1).nullish(),
    confidenceInterval: z
      .object({ lower: z.number(), upper: z.number() })
      .refine((ci) => ci.lower <= ci.upper, { path: ['upper'], message: 'upper must be ≥ lower' })
      .nullish(),
    lift: z.number().nullish(),
  })
  .refine((e) => e.pValue != null || e.confidenceInterval != null, { path: ['pValue'], message: 'send pValue or confidenceInterval' });

export const experimentEventSchema = z.discriminatedUnion('type', [scheduled, exposures, metricResult]);

export type ExperimentEvent = z.infer<typeof experimentEventSchema>;
export type ScheduledEvent = z.infer<typeof scheduled>;
export type ExposuresEvent = z.infer<typeof exposures>;
export type MetricResultEvent = z.infer<typeof metricResult>;

export type ParsedExperimentEvents = ParsedEvents<ExperimentEvent>;

/** One event, or `{ "events": [...] }` of at most 500; all-or-nothing. */
export const parseExperimentEventsBody = eventsBodyParser(experimentEventSchema, MAX_EXPERIMENT_EVENTS_PER_REQUEST);
