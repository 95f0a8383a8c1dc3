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

/** Where each character (grapheme cluster) of the text ends, and 0. */
function boundaries(text: string): number[] {
  return [0, ...[...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.index + s.segment.length)];
}

describe('truncate on whole characters', () => {
  const family = '👨‍👩‍👧‍👦'; // 4 people joined by ZWJ: 11 UTF-16 units, one character
  const flag = '🇳🇴'; // two regional indicators
  const accented = 'e\u0301'; // e + combining acute accent
  const skin = '👍🏽'; // thumbs up + skin tone modifier

  it.each([
    ['a ZWJ family', family],
    ['a flag', flag],
    ['a combining sequence', accented],
    ['an emoji with a skin tone', skin],
  ])('keeps or drops %s whole, at every cut', (_name, cluster) => {
    const text = `ab${cluster}cd${cluster}${cluster}ef`;
    for (let max = 1; max < text.length; max += 1) {
      const cut = truncate(text, max, '…');
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.endsWith('…')).toBe(true);
      const kept = cut.slice(0, -1);
      // what is kept is a prefix of the text that ends on a character boundary
      expect(text.startsWith(kept)).toBe(true);
      expect(boundaries(text)).toContain(kept.length);
    }
  });

  it('cuts an emoji-laden name for a 75-character option without splitting any of its emoji', () => {
    const name = `Checkout!!!!!!!!!!! ${family} rollout ${flag} `.repeat(6);
    const cut = truncate(name, 75, '…');
    expect(cut.length).toBeLessThanOrEqual(75);
    expect(cut).toBe(`${name.slice(0, cut.length - 1)}…`);
    expect(boundaries(name)).toContain(cut.length - 1);
    // the old cut (75 UTF-16 units) would have ended inside the family emoji
    expect(boundaries(name)).not.toContain(75);
  });

  it('gives a single character longer than the room nothing but the marker', () => {
    expect(truncate(`${family}${family}`, 12, '…')).toBe(`${family}…`);
    expect(truncate(`${family}${family}`, 11, '…')).toBe('…');
  });

  it('with the default marker still never leaves half an entity', () => {
    const escaped = `${'a'.repeat(5)}&amp;${family}${'b'.repeat(40)}`;
    expect(truncate(escaped, 7 + TRUNCATED_MARKER.length)).toBe(`${'a'.repeat(5)}${TRUNCATED_MARKER}`);
  });
});
