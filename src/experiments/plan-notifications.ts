import type { ExperimentPlan, NotificationKind } from './experiments.repository.js';
import type { NewNotification } from './notifications.repository.js';
import type { Preference } from './preferences.repository.js';

/** What a notification's message is built from at send time. */
export interface NotificationPayload {
  kind: NotificationKind;
  experiment: { id: string; key: string; name: string; projectId: number; startAt: number | null; endAt: number | null };
  /** for reminders: the start or end it announces */
  at?: number;
  details?: object;
}

const experimentOf = (plan: ExperimentPlan): NotificationPayload['experiment'] => ({
  id: plan.experimentId,
  key: plan.key,
  name: plan.name,
  projectId: plan.projectId,
  startAt: plan.startAt,
  endAt: plan.endAt,
});

/**
 * "Starts soon" / "ends soon" reminders: one per person who wants the kind, per offset, due at the start
 * (or end) minus the offset. Reminders already in the past are not created.
 */
export function planReminders(plan: ExperimentPlan, offsetsMs: number[], preferences: Map<string, Preference>, now: number): NewNotification[] {
  const out: NewNotification[] = [];
  const moments: [NotificationKind, number | null][] = [
    ['starts_soon', plan.startAt],
    ['ends_soon', plan.endAt],
  ];
  for (const [kind, at] of moments) {
    if (at === null) continue;
    for (const offset of offsetsMs) {
      const dueAt = at - offset;
      if (dueAt <= now) continue;
      for (const [person, preference] of preferences) {
        if (!preference.kinds.includes(kind)) continue;
        out.push({
          organizationId: plan.organizationId,
          experimentId: plan.experimentId,
          kind,
          recipient: person,
          channel: preference.channel,
          payload: { kind, experiment: experimentOf(plan), at } satisfies NotificationPayload,
          dedupeKey: `${kind}:${plan.experimentId}:${person}:${preference.channel}:${dueAt}`,
          dueAt,
        });
      }
    }
  }
  return out;
}

/** An SRM or significance notification, due now, for each person who wants the kind. */
export function planImmediate(
  plan: ExperimentPlan,
  kind: 'srm' | 'significance',
  details: object,
  occurrence: string,
  preferences: Map<string, Preference>,
  now: number,
): NewNotification[] {
  return [...preferences]
    .filter(([, preference]) => preference.kinds.includes(kind))
    .map(([person, preference]) => ({
      organizationId: plan.organizationId,
      experimentId: plan.experimentId,
      kind,
      recipient: person,
      channel: preference.channel,
      payload: { kind, experiment: experimentOf(plan), details } satisfies NotificationPayload,
      dedupeKey: `${occurrence}:${plan.experimentId}:${person}:${preference.channel}`,
      dueAt: now,
    }));
}
