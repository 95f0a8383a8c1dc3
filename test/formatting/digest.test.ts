import { describe, expect, it } from 'vitest';
import { buildChangeMessage, buildDigestMessages } from '../../src/formatting/slack-message.js';
import type { ChangeToFormat } from '../../src/formatting/change.js';
import type { FlagEvent } from '../../src/flag-change/model.js';
import { changeOf, fixtureEvent, fixtureNames, limitViolations, textsOf } from '../helpers/formatting-fixtures.js';

/** Keys that are not substrings of one another, so "appears once" cannot be fooled by flag-1 inside flag-10. */
function keyed(event: FlagEvent, i: number): FlagEvent {
  const key = `digest-flag-${String(i).padStart(3, '0')}`;
  return { ...event, flag: event.flag ? { ...event.flag, key } : event.flag, oldFlag: event.oldFlag ? { ...event.oldFlag, key } : event.oldFlag };
}

function hundredChanges(): ChangeToFormat[] {
  const names = fixtureNames.filter((n) => n !== 'huge-flag');
  return Array.from({ length: 100 }, (_, i) => changeOf(keyed(fixtureEvent(names[i % names.length]!), i), { detailsRef: `d-${i}` }));
}

describe('buildDigestMessages', () => {
  it('folds 100 changes into a few messages, each within limits, every key in exactly one', () => {
    const changes = hundredChanges();
    const messages = buildDigestMessages(changes);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(5);
    for (const m of messages) {
      expect(limitViolations(m.blocks, 50)).toEqual([]);
      expect(m.text.length).toBeLessThanOrEqual(3000);
    }
    const blockTexts = messages.map((m) =>
      textsOf(m.blocks)
        .map((t) => t.text)
        .join('\n'),
    );
    changes.forEach((c, i) => {
      const key = `\`digest-flag-${String(i).padStart(3, '0')}\``;
      expect(
        blockTexts.filter((t) => t.includes(key)),
        key,
      ).toHaveLength(1);
    });
  });

  it('gives each change its what, project, who and its own View details value', () => {
    const messages = buildDigestMessages(hundredChanges().slice(0, 3));
    expect(messages).toHaveLength(1);
    const sections = messages[0]!.blocks.slice(1) as { text: { text: string }; accessory: { value: string } }[];
    expect(sections.map((s) => s.accessory.value)).toEqual(['d-0', 'd-1', 'd-2']);
    expect(sections[1]!.text.text).toContain('*Activated* `digest-flag-001`');
    expect(sections[1]!.text.text).toContain('Storefront (311)');
    expect(sections[1]!.text.text).toContain('by ana@example.com');
    expect(messages[0]!.text).toContain('3 flag changes');
  });

  it('stays within limits with huge flags and escapes markup', () => {
    const changes = Array.from({ length: 60 }, (_, i) => changeOf(keyed(fixtureEvent(i % 2 ? 'huge-flag' : 'markup-in-names'), i)));
    const messages = buildDigestMessages(changes);
    for (const m of messages) {
      expect(limitViolations(m.blocks, 50)).toEqual([]);
      const all = [m.text, ...textsOf(m.blocks).map((t) => t.text)].join('\n');
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('<@');
      expect(all).not.toContain('<script');
    }
  });

  it('is the single message itself for one change, and nothing for none', () => {
    const change = changeOf(fixtureEvent('activated'));
    expect(buildDigestMessages([change])).toEqual([buildChangeMessage(change)]);
    expect(buildDigestMessages([])).toEqual([]);
  });

  it('marks test changes', () => {
    const messages = buildDigestMessages([changeOf(fixtureEvent('activated'), { isTest: true }), changeOf(fixtureEvent('deleted'))]);
    const sections = textsOf(messages[0]!.blocks).map((t) => t.text);
    expect(sections.filter((t) => t.includes('_Test_'))).toHaveLength(1);
  });
});
