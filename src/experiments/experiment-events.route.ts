import express, { type Express } from 'express';
import type { AppDeps } from '../app-deps.js';
import { authenticate, authenticatedOrganization, decodeJson, ingestErrors, MAX_BODY, refuse, requireJson } from '../ingest/ingest.route.js';
import { parseExperimentEventsBody } from './experiment-event.schema.js';
import { ingestExperimentEvents } from './ingest-experiment-events.js';

export const EXPERIMENT_EVENTS_PATH = '/api/v1/experiment-events';

/** `POST /api/v1/experiment-events`: the flag-events route's keys, answers and idempotency, for experiments. */
export function registerExperimentEventsRoute(http: Express, deps: AppDeps): void {
  http.post(EXPERIMENT_EVENTS_PATH, authenticate(deps), requireJson, express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const body = decodeJson(req.body);
    if (!body.ok) return void refuse(req, res, 400, { error: body.error, issues: body.issues });
    const parsed = parseExperimentEventsBody(body.value);
    if (!parsed.ok) return void refuse(req, res, 400, { error: 'invalid experiment event', issues: parsed.issues });
    const organizationId = authenticatedOrganization(req);
    if (organizationId === undefined) throw new Error('experiment events route reached without an authenticated key');
    res.status(202).json(await ingestExperimentEvents(deps, organizationId, parsed.events));
  });
  http.use(EXPERIMENT_EVENTS_PATH, ingestErrors(deps, 'experiment event ingestion'));
}
