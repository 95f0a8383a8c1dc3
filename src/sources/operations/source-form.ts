import { PUSH_SOURCE_KINDS, type PushSource, type PushSourceKind } from '../source-kind.js';
import { CONTROL_CHARACTERS_HINT, hasControlCharacters } from '../../text/control-characters.js';
import type { SourceRegistry } from '../registry.js';

/** A new source as a person typed it; `undefined`: not given (the name defaults to the platform's, the secret is generated). */
export interface SourceForm {
  kind: string;
  name?: string | undefined;
  secret?: string | undefined;
}

export type SourceField = 'kind' | 'name' | 'secret';

/**
 * What is wrong with one field. `reason` is phrased around the field's name as each surface calls it
 * ("--secret" on the CLI, "Secret" on the page), so both say the same thing in their own words.
 */
export interface SourceFieldError {
  field: SourceField;
  reason(fieldName: string): string;
}

export type CheckedSourceForm = { ok: true; platform: PushSource; name: string; secret: string | undefined } | { ok: false; error: SourceFieldError };

export const MAX_SOURCE_NAME_LENGTH = 100;
export const MAX_SOURCE_SECRET_LENGTH = 500;

const KINDS = PUSH_SOURCE_KINDS.join(', ');

/** The rules for a new source, the one place both surfaces ask. */
export function checkSourceForm(registry: SourceRegistry, form: SourceForm): CheckedSourceForm {
  const kind = form.kind.trim();
  const platform = platformOf(registry, kind);
  if (!platform.ok) return platform;
  const name = form.name?.trim();
  if (name !== undefined && (name === '' || name.length > MAX_SOURCE_NAME_LENGTH))
    return invalid('name', (f) => `${f} must be 1 to ${MAX_SOURCE_NAME_LENGTH} characters`);
  if (name !== undefined && hasControlCharacters(name)) return invalid('name', (f) => `${f}: ${CONTROL_CHARACTERS_HINT}`);
  const secret = checkSecret(form.secret);
  if (!secret.ok) return secret;
  if (secret.secret === undefined && platform.platform.secretOrigin === 'platform') {
    const { label } = platform.platform;
    return invalid('secret', (f) => `${f} is required for ${label}: ${label} makes the secret; paste the one it shows`);
  }
  return { ok: true, platform: platform.platform, name: name ?? platform.platform.label, secret: secret.secret };
}

/** A secret given is 1 to 500 characters once trimmed; undefined stays undefined (one is generated where the platform allows). */
export function checkSecret(given: string | undefined): { ok: true; secret: string | undefined } | { ok: false; error: SourceFieldError } {
  const secret = given?.trim();
  if (secret !== undefined && (secret === '' || secret.length > MAX_SOURCE_SECRET_LENGTH))
    return invalid('secret', (f) => `${f} must be 1 to ${MAX_SOURCE_SECRET_LENGTH} characters`);
  return { ok: true, secret };
}

function platformOf(registry: SourceRegistry, kind: string): { ok: true; platform: PushSource } | { ok: false; error: SourceFieldError } {
  if (kind === '') return invalid('kind', (f) => `${f} is required: one of ${KINDS}`);
  if (kind === 'amplitude')
    return invalid(
      'kind',
      (f) => `${f} amplitude is for the polled Amplitude source, which this version does not have yet: connect a platform that posts webhooks (${KINDS})`,
    );
  if (!(PUSH_SOURCE_KINDS as readonly string[]).includes(kind)) return invalid('kind', (f) => `unknown ${f} "${kind}": one of ${KINDS}`);
  const platform = registry.get(kind as PushSourceKind);
  if (!platform) return invalid('kind', (f) => `${f} ${kind} is not available in this version yet`);
  return { ok: true, platform };
}

function invalid(field: SourceField, reason: (fieldName: string) => string): { ok: false; error: SourceFieldError } {
  return { ok: false, error: { field, reason } };
}
