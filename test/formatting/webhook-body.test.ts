import { describe, expect, it } from 'vitest';
import type { AlertScope } from '../../src/alerts/alert.js';
import type { FlagEvent } from '../../src/flag-change/model.js';
import { buildWebhookBody } from '../../src/formatting/webhook-body.js';
import { fixtureEvent } from '../helpers/formatting-fixtures.js';

function body(event: FlagEvent, scope: AlertScope): Record<string, unknown> {
  return buildWebhookBody({ event, alert: { scope, projectId: event.projectId } });
}

describe('buildWebhookBody', () => {
  const event = fixtureEvent('deployment-removed');

  it('project alert: project id and name', () => {
    expect(body(event, { type: 'project' })).toEqual({
      flagId: 4101,
      flagName: 'new-checkout',
      scope: 'project',
      scopeParam: 311,
      scopeParamName: 'Storefront',
      action: 'updated',
      modifiedBy: 'ana@example.com',
      flag: event.flag,
      oldFlag: event.oldFlag,
    });
    const { projectName: _n, ...unnamed } = event;
    expect(body(unnamed as FlagEvent, { type: 'project' })).toMatchObject({ scopeParamName: '311' });
  });

  it('deployment alert: the alert label, else the flag label, else the id', () => {
    expect(body(event, { type: 'deployment', deploymentId: 71, deploymentLabel: 'prod (alert)' })).toMatchObject({
      scope: 'exp_deployment',
      scopeParam: 71,
      scopeParamName: 'prod (alert)',
    });
    // 71 is only in oldFlag here: removed from production
    expect(body(event, { type: 'deployment', deploymentId: 71, deploymentLabel: null })).toMatchObject({ scopeParam: 71, scopeParamName: 'production' });
    expect(body(fixtureEvent('ids-only-deployments'), { type: 'deployment', deploymentId: 71, deploymentLabel: null })).toMatchObject({
      scopeParam: 71,
      scopeParamName: '71',
    });
  });

  it('tag alert: no scopeParam, the first alert tag the change carries, else the first alert tag', () => {
    const tagged = fixtureEvent('tag-added');
    const result = body(tagged, { type: 'tag', tags: ['nope', 'risky', 'payments'] });
    expect(result).toMatchObject({ scope: 'exp_tags', scopeParamName: 'risky' });
    expect(result).not.toHaveProperty('scopeParam');
    expect(body(tagged, { type: 'tag', tags: ['nope', 'other'] })).toMatchObject({ scopeParamName: 'nope' });
  });

  it('forwards snapshots untouched with unknown fields, null when absent, and takes the id from oldFlag on delete', () => {
    const created = fixtureEvent('created-inactive');
    const withExtra: FlagEvent = { ...created, flag: { ...created.flag!, customField: { nested: [1, 2] } } };
    const result = body(withExtra, { type: 'project' });
    expect(result.flag).toEqual(withExtra.flag);
    expect(result.flag).toHaveProperty('customField', { nested: [1, 2] });
    expect(result.oldFlag).toBeNull();

    const deleted = body(fixtureEvent('deleted'), { type: 'project' });
    expect(deleted).toMatchObject({ flagId: 4101, flagName: 'new-checkout', action: 'deleted', flag: null });
  });
});
