import { createHash } from 'node:crypto';
import { parseTypedId } from '../flag-change/flag-id.js';
import type { FlagId } from '../flag-change/model.js';

/**
 * How a form names a catalog entry (project, deployment or tag), and back. Slack refuses a whole view when one
 * option value is longer than 150 characters (docs.slack.dev/reference/block-kit/composition-objects/option-object),
 * while platforms allow longer keys and tags: such an entry travels as a short form, `h:` and a hash of its text,
 * that only the organization's catalog maps back.
 */
const MAX_VALUE_LENGTH = 150;
const SHORT_FORM = /^h:[A-Za-z0-9_-]{22}$/;

/** The value a form carries for an entry: its text, or the short form when longer than Slack allows or itself looks like one. */
export function catalogValueOf(entry: FlagId): string {
  const text = String(entry);
  if (text.length <= MAX_VALUE_LENGTH && !text.startsWith('h:')) return text;
  // 128 bits of SHA-256: no two entries of a catalog share a short form.
  return `h:${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
}

/** The known entry a short form stands for; undefined when the text is no short form, or no known entry has it. */
function entryOf<T extends FlagId>(text: string, known: readonly T[]): T | undefined {
  return SHORT_FORM.test(text) ? known.find((k) => catalogValueOf(k) === text) : undefined;
}

/** Text as a form shows it again: a short form becomes the entry it stands for (when known), any other text stays as typed. */
export function expandShortForm(text: string, known: readonly FlagId[]): string {
  const entry = entryOf(text.trim(), known);
  return entry === undefined ? text : String(entry);
}

/**
 * The project or deployment id a form field names, read against the ids the catalog knows: a short form is the known
 * id it was made of (undefined when none is); digits the catalog knows only as a string key (e.g. a ConfigCat config
 * named "2024") mean that key; anything else is the id as typed (parseTypedId). The Slack modal, its options and the
 * form checks of both surfaces all read ids here.
 */
export function resolveCatalogId(text: string | undefined, known: readonly FlagId[]): FlagId | undefined {
  const t = (text ?? '').trim();
  if (SHORT_FORM.test(t)) return entryOf(t, known);
  const typed = parseTypedId(t);
  if (typeof typed === 'number' && !known.includes(typed) && known.includes(String(typed))) return String(typed);
  return typed;
}

/** A tag a form field names: a short form is the known tag it was made of (undefined when none is), else the tag as typed. */
export function resolveCatalogTag(text: string, known: readonly string[]): string | undefined {
  const t = text.trim();
  if (SHORT_FORM.test(t)) return entryOf(t, known);
  return t === '' ? undefined : t;
}
