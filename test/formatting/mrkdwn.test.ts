import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate, TRUNCATED_MARKER } from '../../src/formatting/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<http://x|y>', '&lt;http://x|y&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt;', '&amp;lt;'],
    ['plain *bold*', 'plain *bold*'],
  ])('%s → %s', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text to the limit with the marker', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('x'.repeat(100), 50);
    expect(cut).toHaveLength(50);
    expect(cut.endsWith(TRUNCATED_MARKER)).toBe(true);
  });

  it('never leaves half an entity or half a surrogate pair', () => {
    const entity = truncate(`${'a'.repeat(10)}&amp;${'b'.repeat(50)}`, 10 + 3 + TRUNCATED_MARKER.length);
    expect(entity).toBe(`${'a'.repeat(10)}${TRUNCATED_MARKER}`);
    const emoji = truncate(`${'a'.repeat(9)}😀${'b'.repeat(50)}`, 10 + TRUNCATED_MARKER.length);
    expect(emoji).toBe(`${'a'.repeat(9)}${TRUNCATED_MARKER}`);
  });
});
