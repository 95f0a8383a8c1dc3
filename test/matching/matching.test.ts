import { describe, expect, it } from 'vitest';
import type { Alert, AlertScope, AlertStatus } from '../../src/alerts/alert.js';
import type { FlagAction, FlagChange, FlagId, FlagState } from '../../src/flag-change/model.js';
import { alertMatches, alertsToNotify } from '../../src/matching/alert-matches.js';

const on: FlagState = { id: 1, key: 'k', enabled: true, rolloutPercentage: 10, deployments: [{ id: 71, label: 'production' }], tags: ['payments'], version: 1 };

function updated(oldFlag: FlagState, flag: FlagState): FlagChange {
  return { projectId: 311, action: 'updated', oldFlag, flag };
}

function alert(
  scope: AlertScope,
  overrides: { actions?: FlagAction[]; status?: AlertStatus; projectId?: FlagId } = {},
): Pick<Alert, 'projectId' | 'actions' | 'scope' | 'status'> {
  return {
    projectId: overrides.projectId ?? 311,
    actions: overrides.actions ?? ['created', 'updated', 'deleted'],
    scope,
    status: overrides.status ?? 'active',
  };
}
const project: AlertScope = { type: 'project' };
const production: AlertScope = { type: 'deployment', deploymentId: 71, deploymentLabel: 'production' };
const risky: AlertScope = { type: 'tag', tags: ['risky', 'beta'] };

describe('alertMatches', () => {
  const change = updated(on, { ...on, rolloutPercentage: 50 });

  it.each<[string, Pick<Alert, 'projectId' | 'actions' | 'scope'>, FlagChange, boolean]>([
    ['project scope, same project', alert(project), change, true],
    ['project scope, other project', alert(project, { projectId: 312 }), change, false],
    ['action not asked for', alert(project, { actions: ['created', 'deleted'] }), change, false],
    ['only the asked action', alert(project, { actions: ['updated'] }), change, true],
    ['deployment in flag', alert(production), change, true],
    ['deployment only in oldFlag (removed)', alert(production), updated(on, { ...on, deployments: [{ id: 72 }] }), true],
    ['deployment only in flag (added)', alert(production), updated({ ...on, deployments: [] }, on), true],
    ['deployment as a bare id', alert(production), updated({ ...on, deployments: [71] }, { ...on, deployments: [71], rolloutPercentage: 5 }), true],
    ['deployment absent', alert(production), updated({ ...on, deployments: [72] }, { ...on, deployments: [72], rolloutPercentage: 5 }), false],
    ['no deployments at all', alert(production), updated({ id: 1, key: 'k', enabled: true }, { id: 1, key: 'k', enabled: false }), false],
    ['deployment of another project', alert(production, { projectId: 312 }), change, false],
    ['deleted flag in the deployment', alert(production), { projectId: 311, action: 'deleted', oldFlag: on, flag: null }, true],
    ['one of the tags in flag', alert(risky), updated(on, { ...on, tags: ['risky'] }), true],
    ['tag only in oldFlag', alert(risky), updated({ ...on, tags: ['beta'] }, { ...on, tags: [] }), true],
    ['none of the tags', alert(risky), change, false],
    ['created flag with the tag', alert(risky), { projectId: 311, action: 'created', flag: { ...on, tags: ['beta'] } }, true],
    // Sources: the environment the platform tied the change to decides, not the deployments the flag lists.
    ['tied to this deployment', alert(production), { ...change, environment: 71 }, true],
    [
      'tied to another deployment the flag also lists',
      alert(production),
      { ...updated({ ...on, deployments: [71, 72] }, { ...on, deployments: [71, 72], rolloutPercentage: 5 }), environment: 72 },
      false,
    ],
    [
      'tied to a string-keyed deployment',
      alert({ type: 'deployment', deploymentId: 'production', deploymentLabel: null }),
      { ...change, environment: 'production' },
      true,
    ],
    ['tied to the key "71", not the deployment 71', alert(production), { ...change, environment: '71' }, false],
    [
      'tied to no environment, naming no deployment',
      alert(production),
      { ...updated({ ...on, deployments: [] }, { ...on, deployments: [], name: 'x' }), environment: null },
      true,
    ],
    ['tied to no environment, other project', alert(production, { projectId: 312 }), { ...change, environment: null }, false],
    ['project scope, tied to some environment', alert(project), { ...change, environment: 72 }, true],
    ['tag scope, tied to some environment: tags decide', alert(risky), { ...updated(on, { ...on, tags: ['risky'] }), environment: 72 }, true],
    ['tag scope, tied to no environment: tags decide', alert(risky), { ...change, environment: null }, false],
  ])('%s → %s', (_name, a, c, expected) => {
    expect(alertMatches(a, c)).toBe(expected);
  });
});

describe('alertsToNotify', () => {
  const change = updated(on, { ...on, rolloutPercentage: 50 });

  it('delivers to active, failing and waiting alerts only', () => {
    const statuses: AlertStatus[] = ['active', 'paused', 'waiting', 'failing', 'broken', 'disabled'];
    const alerts = statuses.map((status) => alert(project, { status }));
    expect(alertsToNotify(alerts, change).map((a) => a.status)).toEqual(['active', 'waiting', 'failing']);
  });

  it('delivers nothing for a change that does not notify', () => {
    expect(alertsToNotify([alert(project)], updated(on, { ...on, version: 9 }))).toEqual([]);
  });

  it('keeps only the alerts whose scope matches', () => {
    const alerts = [alert(project), alert(production), alert(risky)];
    expect(alertsToNotify(alerts, change).map((a) => a.scope.type)).toEqual(['project', 'deployment']);
  });
});
