/** The arrow ConfigCat writes between a value before and after (U+2794). */
const ARROW = '\u2794';

/**
 * One `details` text of `##ChangeDetails##` read as a boolean setting's value turned on or off: the docs' form is
 * "\r\nmyFlag: false ➔ true". Any other text (targeting rules, percentages, text or number values, several lines)
 * is not a plain toggle, and we do not guess an on/off state from it.
 */
export function toggleOf(settingKey: string, details: string | null | undefined): { before: boolean; after: boolean } | null {
  const text = details?.trim();
  const prefix = `${settingKey}: `;
  if (!text?.startsWith(prefix)) return null;
  const [before, after, ...rest] = text.slice(prefix.length).split(` ${ARROW} `);
  if (rest.length > 0 || !isBooleanText(before) || !isBooleanText(after)) return null;
  return { before: before === 'true', after: after === 'true' };
}

function isBooleanText(value: string | undefined): value is 'true' | 'false' {
  return value === 'true' || value === 'false';
}
