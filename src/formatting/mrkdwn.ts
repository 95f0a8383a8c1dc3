/** Shown wherever text had to be cut to fit Slack's limits, so a reader knows there is more. */
export const TRUNCATED_MARKER = '… (truncated)';

/** & < > escaped as &amp; &lt; &gt; — neutralizes <!channel>, <@U123>, <http://x|y> links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Stateless and costly to build: one for every cut. Grapheme breaks do not depend on the locale.
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts text to at most `max` UTF-16 units (Slack counts characters, never more than that), ending with `marker`.
 * It cuts only between grapheme clusters, so an emoji, a ZWJ family or a letter with its combining marks stays
 * whole or goes whole; and never leaves half an HTML entity behind, since the text may already be escaped.
 * The one truncation of the app: messages, modals, option texts and short replies all cut here.
 */
export function truncate(text: string, max: number, marker: string = TRUNCATED_MARKER): string {
  if (text.length <= max) return text;
  if (marker.length > max) return truncate(text, max, '');
  const budget = max - marker.length;
  let end = 0;
  // The iterator is lazy: only the kept prefix is segmented, however long the text.
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  return text.slice(0, end).replace(/&[a-z]{0,4}$/, '') + marker;
}

/** Raw text cut first, then escaped: the limit applies to what the reader sees, not to entities. */
export function escapeAndTruncate(text: string, max: number): string {
  return escapeMrkdwn(text.length <= max ? text : truncate(text, max));
}

/** Inline code for keys; a backtick inside would end the span early, so it becomes a look-alike. */
export function code(text: string): string {
  return '`' + escapeMrkdwn(text.replace(/`/g, 'ˋ')) + '`';
}
