import type { Kysely } from 'kysely';
import { listDeployments, listProjects, listTags } from '../catalog/catalog.repository.js';
import { resolveCatalogId, resolveCatalogTag } from '../catalog/catalog-values.js';
import type { Config } from '../config/config.js';
import { FLAG_ACTIONS, type FlagAction, type FlagId } from '../flag-change/model.js';
import { resolvePublicAddress, type Resolver } from '../net/address-guard.js';
import type { Alert, AlertScope, NewAlert } from './alert.js';
import { findAlert, listAlerts } from './alerts.repository.js';
import { checkChannelAccess, type ChannelAccessDeps } from '../slack/api/channel-access.js';
import { CONTROL_CHARACTERS_HINT, hasControlCharacters } from '../text/control-characters.js';
import type { Database } from '../storage/schema.js';

/** The fields of the create/edit form, the same on the Slack modal and the settings page. */
export type AlertField = 'name' | 'project' | 'scope' | 'deployment' | 'tags' | 'destination' | 'channel' | 'webhookUrl' | 'signingKey' | 'events';

/** What a person typed, as text, before any checks. */
export interface AlertForm {
  name: string;
  projectId: string;
  /** project | deployment | tag */
  scope: string;
  deploymentId?: string;
  tags?: string[];
  /** slack | webhook */
  destination: string;
  channelId?: string;
  webhookUrl?: string;
  signingKey?: string;
  events: string[];
}

export type AlertFormErrors = Partial<Record<AlertField, string>>;

export interface ValidAlertForm {
  ok: true;
  alert: NewAlert;
  /** On edit with an empty signing key: pass to updateAlert so the stored key stays. */
  keepSigningKey: boolean;
  /** 'waiting' when the bot cannot post in the chosen channel yet (store the alert with it). */
  status: 'active' | 'waiting';
  /** What to tell the person when status is 'waiting' (invite the bot). */
  notice?: string;
}

/** What the checks read: stored alerts and catalog, whether private networks are allowed, Slack's channel answer. */
export interface AlertFormDeps extends ChannelAccessDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'webhookAllowPrivateNetworks'>;
}

export type AlertFormResult = ValidAlertForm | { ok: false; errors: AlertFormErrors };

export const MIN_SIGNING_KEY_LENGTH = 16;
const MAX_NAME_LENGTH = 80;
const MAX_TAGS = 20;

/**
 * Checks a create/edit form and turns it into a NewAlert. One module for the Slack modal and the
 * settings page: every rule lives here, the surfaces only map errors onto their fields.
 */
export async function validateAlertForm(
  deps: AlertFormDeps,
  organizationId: string,
  form: AlertForm,
  options: { editingId?: number; resolver?: Resolver } = {},
): Promise<AlertFormResult> {
  const errors: AlertFormErrors = {};
  // PostgreSQL text cannot hold U+0000: refuse it here, the same on both databases, rather than fail on save.
  for (const [field, value] of [
    ['name', form.name],
    ['channel', form.channelId],
    ['webhookUrl', form.webhookUrl],
    ['tags', (form.tags ?? []).join('')],
    ['deployment', form.deploymentId],
    ['project', form.projectId],
  ] as const) {
    if (value?.includes('\u0000')) errors[field] = 'Remove the NUL character (\\0) from this field.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const editing = options.editingId === undefined ? undefined : await findAlert(deps.db, organizationId, options.editingId);

  const name = form.name.trim();
  if (!name) errors.name = 'Give the alert a name.';
  else if (name.length > MAX_NAME_LENGTH) errors.name = `Keep the name under ${MAX_NAME_LENGTH} characters.`;
  else if (hasControlCharacters(name)) errors.name = `In the name, ${CONTROL_CHARACTERS_HINT}.`;

  const projectId = tooLong(form.projectId)
    ? undefined
    : resolveCatalogId(
        form.projectId,
        (await listProjects(deps.db, organizationId)).map((p) => p.projectId),
      );
  if (projectId === undefined) errors.project = 'Choose a project or enter its ID or key.';

  const scope = projectId === undefined ? undefined : await scopeOf(deps, organizationId, projectId, form, errors);

  const actions = form.events.filter((e): e is FlagAction => (FLAG_ACTIONS as readonly string[]).includes(e));
  if (actions.length === 0 || actions.length !== form.events.length) errors.events = 'Choose at least one of created, updated, deleted.';

  const destination = await destinationOf(deps, organizationId, form, editing, options.resolver, errors);

  if (Object.keys(errors).length > 0 || !scope || !destination || projectId === undefined) return { ok: false, errors: fallback(errors) };

  const alert: NewAlert = { name, projectId, scope, actions: FLAG_ACTIONS.filter((a) => actions.includes(a)), destination: destination.value };
  const others = (await listAlerts(deps.db, organizationId)).filter((a) => a.id !== options.editingId);
  const duplicate = others.find((a) => sameTarget(a, alert));
  if (duplicate) {
    const field: AlertField = alert.destination.type === 'slack' ? 'channel' : 'webhookUrl';
    return { ok: false, errors: { [field]: `The alert "${duplicate.name}" already sends this project and scope here.` } };
  }
  return {
    ok: true,
    alert,
    keepSigningKey: destination.keepSigningKey,
    status: destination.status,
    ...(destination.notice ? { notice: destination.notice } : {}),
  };
}

/** As long as ingest allows a key (and a typed tag): longer than any stored id is no id. */
const MAX_ID_LENGTH = 500;

function tooLong(text: string | undefined): boolean {
  return (text ?? '').trim().length > MAX_ID_LENGTH;
}

async function scopeOf(
  deps: AlertFormDeps,
  organizationId: string,
  projectId: FlagId,
  form: AlertForm,
  errors: AlertFormErrors,
): Promise<AlertScope | undefined> {
  if (form.scope === 'project') return { type: 'project' };
  if (form.scope === 'deployment') {
    const known = tooLong(form.deploymentId) ? [] : await listDeployments(deps.db, organizationId, projectId);
    const deploymentId = tooLong(form.deploymentId)
      ? undefined
      : resolveCatalogId(
          form.deploymentId,
          known.map((d) => d.deploymentId),
        );
    if (deploymentId === undefined) {
      errors.deployment = 'Choose a deployment or enter its ID or key.';
      return undefined;
    }
    const found = known.find((d) => d.deploymentId === deploymentId);
    // Free entry is fine while the catalog knows nothing of the project; once it does, it must match.
    if (known.length > 0 && !found) {
      errors.deployment = `Deployment ${deploymentId} is not in project ${projectId}.`;
      return undefined;
    }
    return { type: 'deployment', deploymentId, deploymentLabel: found?.label ?? null };
  }
  if (form.scope === 'tag') {
    const named = (form.tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0);
    // Tags the catalog knows are taken at any length (ingest stores them whole); typed ones up to a key's length.
    const known = named.length === 0 ? [] : await listTags(deps.db, organizationId, projectId);
    const resolved = named.map((t) => resolveCatalogTag(t, known));
    const tags = [...new Set(resolved.filter((t): t is string => t !== undefined))];
    if (resolved.includes(undefined)) errors.tags = 'A chosen tag is no longer known in this project; choose it again.';
    else if (tags.length === 0) errors.tags = 'Choose or enter at least one tag.';
    else if (tags.length > MAX_TAGS) errors.tags = `Choose at most ${MAX_TAGS} tags.`;
    else if (tags.some((t) => t.length > MAX_ID_LENGTH && !known.includes(t))) errors.tags = `A tag is at most ${MAX_ID_LENGTH} characters.`;
    else return { type: 'tag', tags };
    return undefined;
  }
  errors.scope = 'Choose all in the project, by deployment or by tag.';
  return undefined;
}

interface CheckedDestination {
  value: NewAlert['destination'];
  keepSigningKey: boolean;
  status: 'active' | 'waiting';
  notice?: string;
}

async function destinationOf(
  deps: AlertFormDeps,
  organizationId: string,
  form: AlertForm,
  editing: Alert | undefined,
  resolver: Resolver | undefined,
  errors: AlertFormErrors,
): Promise<CheckedDestination | undefined> {
  if (form.destination === 'slack') {
    const channelId = (form.channelId ?? '').trim();
    if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId)) {
      errors.channel = 'Choose a channel.';
      return undefined;
    }
    const access = await checkChannelAccess(deps, organizationId, channelId);
    return {
      value: { type: 'slack', channelId, channelName: access.channelName },
      keepSigningKey: false,
      status: access.canPost ? 'active' : 'waiting',
      ...(access.canPost ? {} : { notice: access.hint }),
    };
  }
  if (form.destination === 'webhook') {
    const url = await checkWebhookUrl(deps, form.webhookUrl ?? '', resolver, errors);
    const key = (form.signingKey ?? '').trim();
    const canKeep = editing?.destination.type === 'webhook' && editing.destination.signingKeySealed !== '';
    if (key === '' && canKeep) return url ? { value: { type: 'webhook', url, signingKey: '' }, keepSigningKey: true, status: 'active' } : undefined;
    if (key.length < MIN_SIGNING_KEY_LENGTH) {
      errors.signingKey = `Use a signing key of at least ${MIN_SIGNING_KEY_LENGTH} characters, or generate one.`;
      return undefined;
    }
    return url ? { value: { type: 'webhook', url, signingKey: key }, keepSigningKey: false, status: 'active' } : undefined;
  }
  errors.destination = 'Choose a Slack channel or a webhook.';
  return undefined;
}

async function checkWebhookUrl(deps: AlertFormDeps, text: string, resolver: Resolver | undefined, errors: AlertFormErrors): Promise<string | undefined> {
  const raw = text.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.webhookUrl = 'Enter a full URL, like https://example.com/hooks/flags.';
    return undefined;
  }
  if (url.protocol !== 'https:') {
    errors.webhookUrl = 'The webhook URL must start with https://.';
    return undefined;
  }
  if (url.username || url.password) {
    errors.webhookUrl = 'Put no user name or password in the URL.';
    return undefined;
  }
  if (raw.length > 2000) {
    errors.webhookUrl = 'The URL is too long (at most 2000 characters).';
    return undefined;
  }
  const check = await resolvePublicAddress(url.hostname, deps.config.webhookAllowPrivateNetworks, resolver);
  if (!check.ok) {
    errors.webhookUrl = `This URL cannot be used: ${check.reason}.`;
    return undefined;
  }
  return url.toString();
}

/** Same organization, project, scope and destination: a second alert would only send everything twice. */
function sameTarget(a: Alert, b: NewAlert): boolean {
  if (a.projectId !== b.projectId || a.scope.type !== b.scope.type) return false;
  if (a.scope.type === 'deployment' && b.scope.type === 'deployment' && a.scope.deploymentId !== b.scope.deploymentId) return false;
  if (a.scope.type === 'tag' && b.scope.type === 'tag' && [...a.scope.tags].sort().join('\n') !== [...b.scope.tags].sort().join('\n')) return false;
  const d = b.destination;
  if (a.destination.type === 'slack' && d.type === 'slack') return a.destination.channelId === d.channelId;
  if (a.destination.type === 'webhook' && d.type === 'webhook') return a.destination.url === d.url;
  return false;
}

/** Never answer "invalid" without saying where. */
function fallback(errors: AlertFormErrors): AlertFormErrors {
  return Object.keys(errors).length > 0 ? errors : { name: 'Check the form and try again.' };
}
