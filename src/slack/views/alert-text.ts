import type { Alert, AlertStatus } from '../../alerts/alert.js';

/** Short, human descriptions of an alert, shared by the Home tab and the command answers. */

export function scopeText(alert: Alert): string {
  const s = alert.scope;
  if (s.type === 'deployment') return `Deployment ${s.deploymentLabel ? `${s.deploymentLabel} (${s.deploymentId})` : s.deploymentId}`;
  if (s.type === 'tag') return `Tags ${s.tags.join(', ')}`;
  return 'All in the project';
}

export function projectText(alert: Alert, projectName: string | null | undefined): string {
  return projectName ? `${projectName} (${alert.projectId})` : `Project ${alert.projectId}`;
}

/**
 * Where the alert sends. A channel appears by name only when the viewer can see it; otherwise by its
 * ID, so a private channel's name does not leak to people outside it.
 */
export function destinationText(alert: Alert, visibleChannelName: string | null | undefined): string {
  const d = alert.destination;
  if (d.type === 'webhook') return `Webhook ${hostOf(d.url)}`;
  return visibleChannelName ? `#${visibleChannelName}` : `channel ${d.channelId}`;
}

const STATUS_TEXT: Record<AlertStatus, string> = {
  active: ':large_green_circle: active',
  paused: ':double_vertical_bar: paused',
  waiting: ':hourglass_flowing_sand: waiting (invite the app to the channel)',
  failing: ':warning: failing',
  broken: ':red_circle: broken',
  disabled: ':no_entry: disabled',
};

export function statusText(alert: Alert): string {
  const base = STATUS_TEXT[alert.status] ?? alert.status;
  return alert.statusReason && alert.status !== 'active' && alert.status !== 'paused' ? `${base}: ${alert.statusReason}` : base;
}

export function lastDeliveryText(alert: Alert): string {
  if (alert.lastDeliveryAt === null) return 'never';
  const seconds = Math.floor(alert.lastDeliveryAt / 1000);
  const fallback = new Date(alert.lastDeliveryAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const when = `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
  return alert.lastDeliveryOutcome ? `${when} (${alert.lastDeliveryOutcome})` : when;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
