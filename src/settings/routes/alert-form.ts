import type { Request } from 'express';
import type { Alert } from '../../alerts/alert.js';
import type { AlertForm } from '../../alerts/alert-form.js';
import type { AlertFormValues } from '../views/alert-form-view.js';

/** The posted form as text fields (events may come as one value or many). */
export function formValuesOf(req: Request): AlertFormValues & { signingKey: string } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
  const events = body.events;
  return {
    name: text('name'),
    projectId: text('projectId'),
    scope: text('scope'),
    deploymentId: text('deploymentId'),
    tags: text('tags'),
    destination: text('destination'),
    channelId: text('channelId'),
    webhookUrl: text('webhookUrl'),
    signingKey: text('signingKey'),
    events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : typeof events === 'string' ? [events] : [],
  };
}

/** What validateAlertForm takes, the same shape the Slack modal hands it. */
export function alertFormOf(v: AlertFormValues & { signingKey: string }): AlertForm {
  return {
    name: v.name,
    projectId: v.projectId,
    scope: v.scope,
    deploymentId: v.deploymentId,
    tags: v.tags.split(','),
    destination: v.destination,
    channelId: v.channelId,
    webhookUrl: v.webhookUrl,
    signingKey: v.signingKey,
    events: v.events,
  };
}

/** An existing alert, as the edit form shows it (the signing key is never shown). */
export function formValuesOfAlert(a: Alert): AlertFormValues {
  return {
    name: a.name,
    projectId: String(a.projectId),
    scope: a.scope.type,
    deploymentId: a.scope.type === 'deployment' ? String(a.scope.deploymentId) : '',
    tags: a.scope.type === 'tag' ? a.scope.tags.join(', ') : '',
    destination: a.destination.type,
    channelId: a.destination.type === 'slack' ? a.destination.channelId : '',
    webhookUrl: a.destination.type === 'webhook' ? a.destination.url : '',
    events: [...a.actions],
  };
}
