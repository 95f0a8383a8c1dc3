import type { FlagEvent } from '../flag-change/model.js';
import type { EventRoute } from '../http/event-routes.js';
import { parseFlagEventsBody } from './flag-event.schema.js';
import { ingestFlagEvents } from './ingest-flag-events.js';

export const INGEST_PATH = '/api/v1/flag-events';

/** `POST /api/v1/flag-events` (contract section 3): one event or a batch, stored in one transaction, 202. */
export const flagEventsRoute: EventRoute<FlagEvent> = {
  path: INGEST_PATH,
  noun: 'flag event',
  parse: parseFlagEventsBody,
  ingest: ingestFlagEvents,
};
