import { describe, expect, it } from 'vitest';
import { buildChangeMessage, VIEW_DETAILS_ACTION_ID } from '../../src/formatting/slack-message.js';
import { TRUNCATED_MARKER } from '../../src/formatting/mrkdwn.js';
import type { FlagEvent } from '../../src/flag-change/model.js';
import { changeOf, fixtureEvent, fixtureNames, limitViolations, textsOf } from '../helpers/formatting-fixtures.js';

function allText(message: { text: string; blocks: object[] }): string[] {
  return [message.text, ...textsOf(message.blocks).map((t) => t.text)];
}

function buttons(blocks: object[]): Record<string, unknown>[] {
  return blocks
    .filter((b): b is { type: 'actions'; elements: Record<string, unknown>[] } => (b as { type?: string }).type === 'actions')
    .flatMap((b) => b.elements);
}

describe('buildChangeMessage snapshots', () => {
  it.each(fixtureNames)('%s', (name) => {
    const message = buildChangeMessage(changeOf(fixtureEvent(name)));
    expect(limitViolations(message.blocks, 50)).toEqual([]);
    expect(message).toMatchSnapshot();
  });
});

describe('buildChangeMessage', () => {
  it('escapes markup in names and descriptions so nothing pings or links', () => {
    const message = buildChangeMessage(changeOf(fixtureEvent('markup-in-names')));
    for (const text of allText(message)) {
      // Our own date token is the only markup allowed through.
      const withoutDate = text.replace(/<!date\^\d+\^[^|<>]*\|[^<>]*>/g, '');
      expect(withoutDate).not.toMatch(/[<>]/);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@');
    }
    const joined = allText(message).join('\n');
    expect(joined).toContain('&lt;!channel&gt;');
    expect(joined).toContain('&lt;@U123&gt;');
    expect(joined).toContain('&lt;script&gt;');
  });

  it('keeps a huge flag inside every Block Kit limit and says it cut something', () => {
    const message = buildChangeMessage(changeOf(fixtureEvent('huge-flag')));
    expect(limitViolations(message.blocks, 50)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(allText(message).join('\n')).toContain(TRUNCATED_MARKER);
  });

  it('cuts the fallback text and header of an absurd flag key', () => {
    const event = fixtureEvent('activated');
    const key = 'k'.repeat(5000);
    const huge: FlagEvent = { ...event, flag: { ...event.flag!, key }, oldFlag: { ...event.oldFlag!, key } };
    const message = buildChangeMessage(changeOf(huge));
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(limitViolations(message.blocks, 50)).toEqual([]);
  });

  it.each([
    ['activated', 'activated', 'off → *on*'],
    ['deactivated', 'deactivated', '*on* → off'],
    ['rollout-raised', 'updated', '%'],
    ['created-inactive', 'created', '*Settings*'],
    ['deleted', 'deleted', '*What it was*'],
  ])('%s is worded as "%s"', (name, verb, detail) => {
    const message = buildChangeMessage(changeOf(fixtureEvent(name)));
    expect(message.text).toContain(` ${verb} in Storefront (311) by ana@example.com`);
    const texts = textsOf(message.blocks).map((t) => t.text);
    expect(texts.some((t) => t.includes(`Flag ${verb}: new-checkout`))).toBe(true);
    expect(texts.join('\n')).toContain(detail);
  });

  it('shows a project the source gave no name (GrowthBook ids, Flipt namespaces) by its id in code style, never as "project project"', () => {
    const { projectName: _name, ...event } = fixtureEvent('activated');
    const message = buildChangeMessage(changeOf({ ...event, projectId: 'project' }));
    const texts = textsOf(message.blocks).map((t) => t.text);
    expect(texts).toContain('*Project*\n`project`');
    expect(message.text).toContain(' in project `project` by ');
    expect([message.text, ...texts].join('\n')).not.toMatch(/project project/i);
  });

  it('names a flag once when its name is its key (Unleash, Flagsmith, GrowthBook send the key as the name)', () => {
    const event = fixtureEvent('activated');
    const same: FlagEvent = { ...event, flag: { ...event.flag!, name: 'new-checkout' }, oldFlag: { ...event.oldFlag!, name: 'new-checkout' } };
    const message = buildChangeMessage(changeOf(same));
    expect(message.text).toMatch(/^Flag `new-checkout` activated in /);
    expect(textsOf(message.blocks).map((t) => t.text)).not.toContain('`new-checkout` — *new-checkout*');
    // A name of its own is still shown.
    expect(buildChangeMessage(changeOf(event)).text).toMatch(/^Flag `new-checkout` — \*\S/);
  });

  it("shows a platform's own words for a change (ConfigCat's change details) as it wrote them, first seen or not", () => {
    const words = 'checkout:\r\n  Rollout percentage items changed:\r\n    + 20% true\r\n    + 80% false';
    const base = { id: 'checkout', key: 'checkout', deployments: [{ id: 'prod', label: 'Production' }] };
    const event: FlagEvent = {
      projectId: 'cfg',
      projectName: 'Main Config',
      action: 'updated',
      modifiedBy: 'ana@example.com',
      flag: { ...base, changeDetails: words },
    };
    const block = '• *Change details*: \n```checkout:\n  Rollout percentage items changed:\n    + 20% true\n    + 80% false```';
    const firstSight = textsOf(buildChangeMessage(changeOf(event)).blocks).map((t) => t.text);
    expect(firstSight.join('\n')).toContain(block);
    // After an earlier change the words of that change are not shown as the "before": they were about another change.
    const later = buildChangeMessage(changeOf({ ...event, oldFlag: { ...base, changeDetails: 'checkout: false ➔ true' } }));
    const texts = textsOf(later.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(texts).toContain(block);
    expect(texts).not.toContain('false ➔ true');
  });

  it('names deployments by label, and by id when no label is known', () => {
    const removed = textsOf(buildChangeMessage(changeOf(fixtureEvent('deployment-removed'))).blocks)
      .map((t) => t.text)
      .join('\n');
    expect(removed).toContain('• *Deployments*: removed production');
    const idsOnly = buildChangeMessage(changeOf(fixtureEvent('ids-only-deployments'), {}, { type: 'deployment', deploymentId: 71, deploymentLabel: null }));
    expect(textsOf(idsOnly.blocks).map((t) => t.text)).toContain('*Deployment*\n71');
    const labelled = buildChangeMessage(
      changeOf(fixtureEvent('ids-only-deployments'), {}, { type: 'deployment', deploymentId: 71, deploymentLabel: 'production' }),
    );
    expect(textsOf(labelled.blocks).map((t) => t.text)).toContain('*Deployment*\nproduction');
  });

  it('shows the alert tags the change carries', () => {
    const message = buildChangeMessage(changeOf(fixtureEvent('tag-added'), {}, { type: 'tag', tags: ['nope', 'risky'] }));
    const texts = textsOf(message.blocks).map((t) => t.text);
    expect(texts).toContain('*Tags*\nrisky');
    expect(texts.join('\n')).toContain('• *Tags*: added risky');
  });

  it('carries detailsRef on View details and substitutes the flag URL template, URL-encoded', () => {
    const event = fixtureEvent('rollout-raised');
    const message = buildChangeMessage(changeOf(event, { flagUrlTemplate: 'https://flags.example.com/p/{projectId}/flags/{flagId}?again={flagId}' }));
    const [details, open] = buttons(message.blocks);
    expect(details).toMatchObject({ action_id: VIEW_DETAILS_ACTION_ID, value: 'delivery-123' });
    expect(open).toMatchObject({ url: 'https://flags.example.com/p/311/flags/4101?again=4101' });

    const odd = { ...event, projectId: 5, flag: { ...event.flag!, id: 1.5 } } as FlagEvent;
    const encoded = buttons(buildChangeMessage(changeOf(odd, { flagUrlTemplate: 'https://x.test/{projectId}/{flagId}' })).blocks);
    expect(encoded[1]).toMatchObject({ url: 'https://x.test/5/1.5' });
  });

  it('has no Open flag button without a template', () => {
    const message = buildChangeMessage(changeOf(fixtureEvent('activated'), { flagUrlTemplate: undefined }));
    expect(buttons(message.blocks)).toHaveLength(1);
  });

  it('says a test notification is one, at the top', () => {
    const message = buildChangeMessage(changeOf(fixtureEvent('activated'), { isTest: true }));
    expect(textsOf(message.blocks[0]).map((t) => t.text)).toEqual([':test_tube: *Test notification from Flag Alerts* — alert «Storefront flags»']);
    expect(message.text.startsWith('[Test] ')).toBe(true);
  });

  it('uses receivedAt when the event has no occurredAt', () => {
    const { occurredAt: _dropped, ...event } = fixtureEvent('activated');
    const texts = textsOf(buildChangeMessage(changeOf(event, { receivedAt: Date.UTC(2026, 0, 2, 3, 4) })).blocks);
    expect(texts.map((t) => t.text).join('\n')).toContain(`<!date^${Date.UTC(2026, 0, 2, 3, 4) / 1000}^`);
  });

  it('lists other changed fields generically and ignores bookkeeping', () => {
    const event = fixtureEvent('activated');
    const edited: FlagEvent = {
      ...event,
      oldFlag: { ...event.oldFlag!, enabled: true, killSwitch: false, updatedAt: 'a' },
      flag: { ...event.flag!, killSwitch: true, updatedAt: 'b', targetSegments: [{ name: 's1' }], rolloutWeights: { on: 2 } },
    };
    const lines = textsOf(buildChangeMessage(changeOf(edited)).blocks)
      .map((t) => t.text)
      .join('\n');
    expect(lines).toContain('• *`killSwitch`*: false → true');
    expect(lines).toContain('• *Target segments*: 0 segments → 1 segment');
    expect(lines).toContain('• *Rollout weights*: on: 1 → on: 2');
    expect(lines).not.toContain('updatedAt');
    expect(lines).not.toContain('version');
  });
});
