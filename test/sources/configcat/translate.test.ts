import { describe, expect, it } from 'vitest';
import { configcatSource } from '../../../src/sources/configcat/index.js';
import type { SourceChange, Translation } from '../../../src/sources/source-kind.js';
import { fixture, NOW, signedRequest } from './configcat-fixtures.js';

const CONFIG_ID = '38400000-8cf0-11bd-b23e-10b96e4ef00d';
const PRODUCTION = { id: '38400000-8cf0-11bd-b23e-10b96e4ef00e', label: 'Production' };
const STAGING = { id: '38400000-8cf0-11bd-b23e-10b96e4ef0aa', label: 'Staging' };
/** the signed send time of signedRequest (3 s before NOW): the body has no time of its own */
const SENT_AT = new Date(NOW - 3000).toISOString();

function translate(name: string): Translation {
  const { body } = fixture(name);
  return configcatSource.translate(body, signedRequest(body));
}

function changesOf(translation: Translation): SourceChange[] {
  if (!translation.ok) throw new Error(`expected a translation, got ${JSON.stringify(translation)}`);
  return translation.changes;
}

function only(translation: Translation): SourceChange {
  const changes = changesOf(translation);
  expect(changes).toHaveLength(1);
  return changes[0] as SourceChange;
}

describe('ConfigCat webhook → the core model', () => {
  it('a boolean setting turned on: before and after from the details text, in the webhook environment', () => {
    const translation = translate('toggled-on');
    expect(translation).toMatchObject({ ok: true, ignored: 0 });
    // ConfigCat's webhook id "is different for every request", retries included: the raw body names the delivery.
    expect(translation).not.toHaveProperty('deliveryId');
    const change = only(translation);
    expect(change.environment).toEqual(PRODUCTION);
    expect(change.previousUnknown).toBeUndefined();
    // only on/off is said: ingest keeps the setting's other fields from the stored state
    expect(change.partial).toBe(true);
    expect(change.event).toEqual({
      projectId: CONFIG_ID,
      projectName: 'Main Config',
      action: 'updated',
      modifiedBy: 'john.doe@example.com',
      occurredAt: SENT_AT,
      oldFlag: { id: 'myAwesomeFeature1', key: 'myAwesomeFeature1', enabled: false, deployments: [PRODUCTION] },
      flag: { id: 'myAwesomeFeature1', key: 'myAwesomeFeature1', enabled: true, deployments: [PRODUCTION] },
    });
  });

  it('a boolean setting turned off', () => {
    const { event } = only(translate('toggled-off'));
    expect(event.oldFlag?.enabled).toBe(true);
    expect(event.flag?.enabled).toBe(false);
  });

  it('a percentage rollout change: the text is the change, on/off and the previous state unknown', () => {
    const change = only(translate('rules-changed'));
    expect(change.environment).toEqual(PRODUCTION);
    expect(change.previousUnknown).toBe(true);
    // on/off is not said: ingest keeps the stored one rather than dropping it
    expect(change.partial).toBe(true);
    expect(change.event.action).toBe('updated');
    expect(change.event.oldFlag).toBeUndefined();
    expect(change.event.flag).toEqual({
      id: 'myAwesomeFeature2',
      key: 'myAwesomeFeature2',
      deployments: [PRODUCTION],
      changeDetails: 'myAwesomeFeature2:\r\n  Rollout percentage items changed:\r\n    + 20% true\r\n    + 80% false',
    });
    expect(change.event.flag).not.toHaveProperty('enabled');
  });

  it('several settings in one changeset: one change each, same delivery', () => {
    const translation = translate('two-changes');
    expect(translation).toMatchObject({ ok: true, ignored: 0 });
    const changes = changesOf(translation);
    expect(changes.map((c) => [c.event.flag?.key, c.event.flag?.enabled, c.previousUnknown, c.partial])).toEqual([
      ['myAwesomeFeature1', true, undefined, true],
      ['myAwesomeFeature2', undefined, true, true],
    ]);
    expect(changes.map((c) => c.environment)).toEqual([PRODUCTION, PRODUCTION]);
  });

  it('a setting added: created, tied to the webhook environment, on/off unknown', () => {
    const change = only(translate('created'));
    expect(change.environment).toEqual(PRODUCTION);
    expect(change.partial).toBeUndefined();
    expect(change.event).toMatchObject({ action: 'created', projectId: CONFIG_ID, modifiedBy: 'john.doe@example.com', occurredAt: SENT_AT });
    expect(change.event.oldFlag).toBeUndefined();
    expect(change.event.flag).toMatchObject({ id: 'myAwesomeFeature1', key: 'myAwesomeFeature1', deployments: [PRODUCTION] });
    expect(change.event.flag).not.toHaveProperty('enabled');
  });

  it('a setting deleted: only what was, previous state unknown', () => {
    const change = only(translate('deleted'));
    expect(change.environment).toEqual(PRODUCTION);
    expect(change.previousUnknown).toBe(true);
    expect(change.partial).toBe(true);
    expect(change.event).toMatchObject({ action: 'deleted', projectId: CONFIG_ID, projectName: 'Main Config' });
    expect(change.event.flag).toBeUndefined();
    expect(change.event.oldFlag).toEqual({ id: 'myAwesomeFeature1', key: 'myAwesomeFeature1', deployments: [PRODUCTION] });
  });

  it('a change posted by another environment names only that environment', () => {
    const change = only(translate('other-environment'));
    expect(change.environment).toEqual(STAGING);
    expect(change.event.flag?.deployments).toEqual([STAGING]);
    expect(change.event.oldFlag?.deployments).toEqual([STAGING]);
  });

  it('counts change events it does not know as ignored', () => {
    const { body } = fixture('two-changes');
    const withUnknown = structuredClone(body) as { changes: { event: string }[] };
    (withUnknown.changes[1] as { event: string }).event = 'archived';
    const translation = configcatSource.translate(withUnknown, signedRequest(withUnknown));
    expect(translation).toMatchObject({ ok: true, ignored: 1 });
    expect(changesOf(translation)).toHaveLength(1);
  });

  it('reads the email out of ##ChangedBy##, else keeps the text, and says when it is missing', () => {
    const { body } = fixture('toggled-on');
    const by = (changedBy: string | undefined): string | undefined => {
      const copy = { ...(body as Record<string, unknown>), changedBy };
      return only(configcatSource.translate(copy, signedRequest(copy))).event.modifiedBy;
    };
    expect(by('Jane Roe <jane@example.org>')).toBe('jane@example.org');
    expect(by('Jane Roe')).toBe('Jane Roe');
    expect(by(undefined)).toBe('unknown (ConfigCat sent no ##ChangedBy##)');
  });

  it('does not read a non-boolean value change as on/off', () => {
    const { body } = fixture('toggled-on');
    const copy = structuredClone(body) as { changes: { details: string }[] };
    (copy.changes[0] as { details: string }).details = '\r\nmyAwesomeFeature1: "blue" ➔ "green"';
    const change = only(configcatSource.translate(copy, signedRequest(copy)));
    expect(change.previousUnknown).toBe(true);
    expect(change.event.flag).toMatchObject({ changeDetails: 'myAwesomeFeature1: "blue" ➔ "green"' });
    expect(change.event.flag).not.toHaveProperty('enabled');
  });

  it('refuses a body that is not the template, naming each issue by path', () => {
    const translation = configcatSource.translate({ config: { id: CONFIG_ID }, changes: '##ChangeDetails##' }, signedRequest({}));
    expect(translation.ok).toBe(false);
    if (translation.ok) return;
    expect(translation.issues.map((issue) => issue.path)).toEqual(['config.name', 'environment', 'changes']);
    expect(configcatSource.translate([], signedRequest([]))).toMatchObject({ ok: false, issues: [{ path: '(body)' }] });
  });

  it('has setup steps with the URL, the exact body template and where the key comes from', () => {
    const steps = configcatSource.setupSteps('https://alerts.example.com/api/v1/sources/abc').join('\n');
    expect(steps).toContain('https://alerts.example.com/api/v1/sources/abc');
    expect(steps).toContain(
      '{"config":{"id":"##ConfigId##","name":"##ConfigName##"},"environment":{"id":"##EnvironmentId##","name":"##EnvironmentName##"},"url":"##URL##","changedBy":"##ChangedBy##","notes":"##ChangeNotes##","changes":##ChangeDetails##}',
    );
    expect(steps).toContain('configcat_whsk_');
    expect(configcatSource).toMatchObject({ kind: 'configcat', label: 'ConfigCat', secretOrigin: 'platform' });
  });
});
