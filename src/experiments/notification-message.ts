import type { NotificationPayload } from './plan-notifications.js';

export interface NotificationMessage {
  subject: string;
  text: string;
}

/** The experiment's link from `EXPERIMENT_URL_TEMPLATE` ({experimentId}, {projectId}), if set. */
export function experimentUrl(template: string | undefined, payload: NotificationPayload): string | undefined {
  if (!template) return undefined;
  return template
    .replaceAll('{experimentId}', encodeURIComponent(payload.experiment.id))
    .replaceAll('{projectId}', encodeURIComponent(String(payload.experiment.projectId)));
}

/**
 * Plain text for a DM or an email: what happened, to which experiment, and where to look. `manageUrl` is the
 * recipient's signed preferences link (preference-link.ts), made by the caller so this stays pure.
 */
export function notificationMessage(payload: NotificationPayload, urlTemplate?: string, manageUrl?: string): NotificationMessage {
  const name = `${payload.experiment.name} (${payload.experiment.key})`;
  const when = payload.at === undefined ? '' : new Date(payload.at).toISOString().replace('.000Z', 'Z');
  const lines: string[] = [];
  let subject: string;
  switch (payload.kind) {
    case 'starts_soon':
      subject = `Experiment ${name} starts soon`;
      lines.push(`Experiment ${name} starts at ${when}.`);
      break;
    case 'ends_soon':
      subject = `Experiment ${name} ends soon`;
      lines.push(`Experiment ${name} ends at ${when}.`);
      break;
    case 'srm': {
      subject = `Sample-ratio mismatch in experiment ${name}`;
      const d = payload.details as { pValue?: number; chiSquare?: number; threshold?: number } | undefined;
      // Rows queued before the threshold was recorded have none: the sentence then simply leaves it out.
      const below = d?.threshold === undefined ? '' : `, below the threshold ${d.threshold}`;
      lines.push(
        `The traffic split of experiment ${name} does not match its planned allocation (chi-square ${d?.chiSquare?.toFixed(2) ?? '?'}, p = ${d?.pValue?.toExponential(2) ?? '?'}${below}). Its results may be biased.`,
      );
      break;
    }
    case 'significance': {
      subject = `Experiment ${name} reached significance`;
      const d = payload.details as { metric?: string; pValue?: number; lift?: number } | undefined;
      const lift = d?.lift === undefined ? '' : `, lift ${(d.lift * 100).toFixed(2)} %`;
      const p = d?.pValue === undefined ? '' : ` (p = ${d.pValue})`;
      lines.push(`The recommendation metric ${d?.metric ?? ''} of experiment ${name} is statistically significant${p}${lift}.`);
      break;
    }
  }
  const url = experimentUrl(urlTemplate, payload);
  if (url) lines.push(`Open it: ${url}`);
  if (manageUrl) lines.push('', `Manage your notifications: ${manageUrl}`);
  return { subject, text: lines.join('\n') };
}
