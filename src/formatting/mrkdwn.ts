/** Shown wherever text had to be cut to fit Slack's limits, so a reader knows there is more. */
export const TRUNCATED_MARKER = '… (truncated)';

/** & < > escaped as &amp; &lt; &gt; — neutralizes <!channel>, <@U123>, <http://x|y> links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts text to at most `max` UTF-16 units (Slack counts characters, never more than that) with a visible marker.
 * Never leaves half an HTML entity or half a surrogate pair behind, since the text may already be escaped.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - TRUNCATED_MARKER.length));
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + TRUNCATED_MARKER;
}

/** Raw text cut first, then escaped: the limit applies to what the reader sees, not to entities. */
export function escapeAndTruncate(text: string, max: number): string {
  return escapeMrkdwn(text.length <= max ? text : truncate(text, max));
}

/** Inline code for keys; a backtick inside would end the span early, so it becomes a look-alike. */
export function code(text: string): string {
  return '`' + escapeMrkdwn(text.replace(/`/g, 'ˋ')) + '`';
}
