import type { Transaction } from 'kysely';
import type { AppDeps } from '../app-deps.js';
import type { Database } from '../storage/schema.js';
import type { ExperimentEvent, ExposuresEvent, MetricResultEvent, ScheduledEvent } from './experiment-event.schema.js';
import {
  findExperiment,
  markSignificanceNotified,
  recordExperimentEvent,
  reminderOffsets,
  setSrmFailing,
  srmThreshold,
  upsertExperiment,
  type Experiment,
} from './experiments.repository.js';
import { cancelPendingReminders, enqueueNotifications } from './notifications.repository.js';
import { planImmediate, planReminders } from './plan-notifications.js';
import { preferencesOf } from './preferences.repository.js';
import { shouldNotifySignificance } from './significance.js';
import { sampleRatioMismatch, srmTransition } from './srm.js';

export interface ExperimentIngestResult {
  accepted: number;
  duplicates: number;
}

/**
 * Applies validated experiment events of one organization in one transaction, in order.
 * A repeated eventId (earlier or in the same batch) is acknowledged as a duplicate and changes nothing.
 */
export async function ingestExperimentEvents(
  deps: Pick<AppDeps, 'db' | 'now' | 'experimentOutbox'>,
  organizationId: string,
  events: ExperimentEvent[],
): Promise<ExperimentIngestResult> {
  const now = deps.now();
  let accepted = 0;
  await deps.db.transaction().execute(async (trx) => {
    // The organization's SRM threshold: read once for the batch, at its first exposures.
    let threshold: number | undefined;
    for (const event of events) {
      const fresh = await recordExperimentEvent(trx, organizationId, event.eventId ?? null, event.experimentId, event.type, JSON.stringify(event), now);
      if (!fresh) continue;
      accepted += 1;
      if (event.type === 'experiment.scheduled') await applyScheduled(trx, organizationId, event, now);
      else if (event.type === 'experiment.exposures')
        await applyExposures(trx, organizationId, event, (threshold ??= await srmThreshold(trx, organizationId)), now);
      else await applyMetricResult(trx, organizationId, event, now);
    }
  });
  // After commit: SRM and significance notifications are due now, and a new reminder may be due sooner than the worker's sleep.
  if (accepted > 0) deps.experimentOutbox.wake();
  return { accepted, duplicates: events.length - accepted };
}

async function applyScheduled(trx: Transaction<Database>, organizationId: string, event: ScheduledEvent, now: number): Promise<void> {
  const plan = {
    organizationId,
    experimentId: event.experimentId,
    key: event.key,
    name: event.name,
    projectId: event.projectId,
    startAt: event.startAt,
    endAt: event.endAt,
    owners: event.owners,
    subscribers: event.subscribers,
  };
  await upsertExperiment(trx, plan, now);
  // Moving = cancel what is pending, then queue the new times (a time that did not move is revived).
  await cancelPendingReminders(trx, organizationId, event.experimentId, now);
  const offsets = await reminderOffsets(trx, organizationId);
  const preferences = await preferencesOf(trx, organizationId, recipientsOf(plan));
  await enqueueNotifications(trx, planReminders(plan, offsets, preferences, now), now);
}

async function applyExposures(trx: Transaction<Database>, organizationId: string, event: ExposuresEvent, threshold: number, now: number): Promise<void> {
  // Exposures of an experiment never scheduled have nobody to tell; the event is still acknowledged.
  const experiment = await findExperiment(trx, organizationId, event.experimentId);
  if (!experiment) return;
  const result = sampleRatioMismatch(event.variants, threshold);
  const transition = srmTransition(experiment.srmFailing, result);
  if (transition.failing !== experiment.srmFailing) await setSrmFailing(trx, organizationId, event.experimentId, transition.failing, now);
  if (!transition.notify || !result.testable) return;
  const details = { chiSquare: result.chiSquare, pValue: result.pValue, threshold, variants: event.variants };
  await notify(trx, experiment, 'srm', details, `srm:${now}`, now);
}

async function applyMetricResult(trx: Transaction<Database>, organizationId: string, event: MetricResultEvent, now: number): Promise<void> {
  const experiment = await findExperiment(trx, organizationId, event.experimentId);
  if (!experiment) return;
  const result = {
    metric: event.metric,
    isRecommendationMetric: event.isRecommendationMetric,
    pValue: event.pValue ?? undefined,
    confidenceInterval: event.confidenceInterval ?? undefined,
    lift: event.lift ?? undefined,
  };
  if (!shouldNotifySignificance(result, experiment.significanceNotifiedAt !== null)) return;
  await markSignificanceNotified(trx, organizationId, event.experimentId, now);
  await notify(trx, experiment, 'significance', result, 'significance', now);
}

async function notify(
  trx: Transaction<Database>,
  experiment: Experiment,
  kind: 'srm' | 'significance',
  details: object,
  occurrence: string,
  now: number,
): Promise<void> {
  const preferences = await preferencesOf(trx, experiment.organizationId, recipientsOf(experiment));
  await enqueueNotifications(trx, planImmediate(experiment, kind, details, occurrence, preferences, now), now);
}

function recipientsOf(plan: { owners: string[]; subscribers: string[] }): string[] {
  return [...new Set([...plan.owners, ...plan.subscribers])];
}
