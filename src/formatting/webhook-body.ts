import type { Alert } from '../alerts/alert.js';
import { flagOf, type FlagEvent } from '../flag-change/model.js';
import { deploymentLabels } from './deployments.js';

/**
 * The webhook body in the Amplitude schema (contract section 4), so existing Amplitude receivers work unchanged.
 * flag and oldFlag are forwarded untouched, unknown fields included.
 */
export function buildWebhookBody(change: { event: FlagEvent; alert: Pick<Alert, 'scope' | 'projectId'> }): Record<string, unknown> {
  const { event } = change;
  const current = flagOf(event);
  return {
    flagId: current?.id ?? null,
    flagName: current?.key ?? null,
    ...scopeFields(change),
    action: event.action,
    modifiedBy: event.modifiedBy,
    flag: event.flag ?? null,
    oldFlag: event.oldFlag ?? null,
  };
}

function scopeFields(change: { event: FlagEvent; alert: Pick<Alert, 'scope' | 'projectId'> }): Record<string, unknown> {
  const { event, alert } = change;
  const { scope } = alert;
  switch (scope.type) {
    case 'project':
      return { scope: 'project', scopeParam: event.projectId, scopeParamName: event.projectName ?? String(event.projectId) };
    case 'deployment': {
      const label = deploymentLabels(change).get(scope.deploymentId) ?? String(scope.deploymentId);
      return { scope: 'exp_deployment', scopeParam: scope.deploymentId, scopeParamName: label };
    }
    case 'tag': {
      const carried = new Set([...(event.flag?.tags ?? []), ...(event.oldFlag?.tags ?? [])]);
      const tag = scope.tags.find((t) => carried.has(t)) ?? scope.tags[0] ?? '';
      return { scope: 'exp_tags', scopeParamName: tag };
    }
  }
}
