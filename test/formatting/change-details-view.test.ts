import { describe, expect, it } from 'vitest';
import { buildChangeDetailsView } from '../../src/formatting/change-details-view.js';
import { TRUNCATED_MARKER } from '../../src/formatting/mrkdwn.js';
import { changeOf, fixtureEvent, limitViolations, textsOf } from '../helpers/formatting-fixtures.js';

interface View {
  type: string;
  title: { text: string };
  close: { text: string };
  blocks: object[];
}

describe('buildChangeDetailsView', () => {
  it('is a closable modal with every changed field and both snapshots', () => {
    const view = buildChangeDetailsView(changeOf(fixtureEvent('variant-added'))) as View;
    expect(view.type).toBe('modal');
    expect(view.close.text).toBe('Close');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const text = textsOf(view.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(text).toContain('• *Variants*: added `treatment-b`');
    expect(text).toContain('*Before*');
    expect(text).toContain('*After*');
    expect(text).toContain('"treatment-b"');
    expect(view).toMatchSnapshot();
  });

  it('keeps a huge flag within modal limits and marks the cut', () => {
    const view = buildChangeDetailsView(changeOf(fixtureEvent('huge-flag'))) as View;
    expect(limitViolations(view.blocks, 100)).toEqual([]);
    expect(
      textsOf(view.blocks)
        .map((t) => t.text)
        .join('\n'),
    ).toContain(TRUNCATED_MARKER);
  });

  it('stays within 100 blocks for a flag with hundreds of changed fields', () => {
    const event = fixtureEvent('activated');
    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`field${i}`, 'v'.repeat(300)]));
    const view = buildChangeDetailsView(changeOf({ ...event, flag: { ...event.flag!, ...many } })) as View;
    expect(limitViolations(view.blocks, 100)).toEqual([]);
    expect(
      textsOf(view.blocks)
        .map((t) => t.text)
        .join('\n'),
    ).toContain(TRUNCATED_MARKER);
  });

  it('escapes markup in the JSON too', () => {
    const view = buildChangeDetailsView(changeOf(fixtureEvent('markup-in-names'))) as View;
    const text = textsOf(view.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('says "none" for the missing side of a created flag', () => {
    const view = buildChangeDetailsView(changeOf(fixtureEvent('created-inactive'))) as View;
    expect(textsOf(view.blocks).map((t) => t.text)).toContain('*Before*\n_none_');
  });
});
