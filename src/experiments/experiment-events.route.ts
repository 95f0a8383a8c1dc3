import type { EventRoute } from '../http/event-routes.js';
import { parseExperimentEventsBody, type ExperimentEvent } from './experiment-event.schema.js';
import { ingestExperimentEvents } from './ingest-experiment-events.js';

export const EXPERIMENT_EVENTS_PATH = '/api/v1/experiment-events';

/** `POST /api/v1/experiment-events`: the flag-events route's keys, answers and idempotency, for experiments. */
export const experimentEventsRoute: EventRoute<ExperimentEvent> = {
  path: EXPERIMENT_EVENTS_PATH,
  noun: 'experiment event',
  parse: parseExperimentEventsBody,
  ingest: ingestExperimentEvents,
};
