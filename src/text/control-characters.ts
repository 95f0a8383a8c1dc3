/**
 * Characters that are not text to show: C0 and C1 controls and DEL (terminal escape sequences, line breaks,
 * tabs), the Unicode line and paragraph separators, and the bidirectional marks and overrides that make a
 * terminal or a page show characters in another order than they are stored.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const CONTROL_ALL = new RegExp(CONTROL.source, 'gu');

/** Names are refused at input when this is true: a name is shown in tables, terminals and Slack. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** What may reach an operator's terminal of a stored value (kept from before names were checked, or from a platform). */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_ALL, '');
}

/** The one wording every surface uses when it refuses such a name. */
export const CONTROL_CHARACTERS_HINT = 'use no control characters (line breaks, tabs, escape codes)';
