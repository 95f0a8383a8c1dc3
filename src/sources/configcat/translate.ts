import type { FlagAction, FlagEvent, FlagSnapshot } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { SourceChange, SourceRequest, Translation } from '../source-kind.js';
import { toggleOf } from './change-details.js';
import { configCatBodySchema, type ConfigCatChange } from './payload.schema.js';
import { headerOf } from './verify.js';

/** `event` of a `##ChangeDetails##` entry ("added|deleted|changed", configcat/docs 2020 schema). */
const ACTIONS: Readonly<Record<string, FlagAction>> = { added: 'created', changed: 'updated', deleted: 'deleted' };

type Common = Pick<FlagEvent, 'projectId' | 'projectName' | 'modifiedBy' | 'occurredAt'>;
type Environment = { id: string; label: string };

/**
 * One SourceChange per changed setting. A ConfigCat webhook belongs to one config and one environment, so every
 * change of a call is tied to that environment, created and deleted settings included: each environment's webhook
 * reports them for its own environment, and tying them to none would notify deployment-scoped alerts once per webhook.
 */
export function translateConfigCat(body: unknown, request: SourceRequest): Translation {
  const parsed = configCatBodySchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, error: 'not the ConfigCat webhook body of the setup steps', issues: issuesOf(parsed.error) };
  }
  const { config, environment, changedBy, changes } = parsed.data;
  const deployment: Environment = { id: environment.id, label: environment.name || environment.id };
  const common: Common = {
    projectId: config.id,
    projectName: config.name || null,
    modifiedBy: modifiedByOf(changedBy),
    occurredAt: sentAt(request),
  };
  const translated = changes.map((change) => changeOf(change, common, deployment));
  // No deliveryId: ConfigCat's X-ConfigCat-Webhook-ID "is different for every request" (its webhook docs), a retry
  // included, so only the raw body (the same on a retry; the timestamp travels in a header) names the delivery.
  return {
    ok: true,
    changes: translated.filter((change): change is SourceChange => change !== null),
    ignored: translated.filter((change) => change === null).length,
  };
}

function changeOf(change: ConfigCatChange, common: Common, environment: Environment): SourceChange | null {
  const action = ACTIONS[change.event];
  if (!action) return null;
  // ConfigCat names a setting by its key only (no name, no tags); the key is its id here.
  const flag: FlagSnapshot = { id: change.settingKey, key: change.settingKey, deployments: [environment] };
  const details = change.details?.trim() || null;
  // A change names the setting and what changed in it (its value, a toggle), nothing of the rest: updates and
  // deletions are partial, and ingest keeps the other fields (on/off after a rule change) from the last state.
  if (action === 'deleted') {
    return { event: { ...common, action, oldFlag: flag }, environment, previousUnknown: true, partial: true };
  }
  if (action === 'created') {
    return { event: { ...common, action, flag: withDetails(flag, details) }, environment };
  }
  const toggle = toggleOf(change.settingKey, details);
  if (toggle) {
    // "myFlag: false ➔ true" carries both sides, so this is the one update with a known previous state.
    return {
      event: { ...common, action, oldFlag: { ...flag, enabled: toggle.before }, flag: { ...flag, enabled: toggle.after } },
      environment,
      partial: true,
    };
  }
  // Rules, percentages and non-boolean values come as display text only: it is the change, on/off stays unknown.
  return { event: { ...common, action, flag: withDetails(flag, details) }, environment, previousUnknown: true, partial: true };
}

function withDetails(flag: FlagSnapshot, details: string | null): FlagSnapshot {
  return details === null ? flag : { ...flag, changeDetails: details };
}

/** `##ChangedBy##` is "the name and email address of the user" in an undocumented format: the email when one is in it. */
function modifiedByOf(changedBy: string | undefined): string {
  const text = changedBy?.trim() ?? '';
  if (text === '' || text === '##ChangedBy##') return 'unknown (ConfigCat sent no ##ChangedBy##)';
  return /[^\s<>()[\]"',;]+@[^\s<>()[\]"',;]+\.[^\s<>()[\]"',;]+/.exec(text)?.[0] ?? text;
}

/** The body has no time of change; the signed send time (verified to be within 5 minutes) is the closest we have. */
function sentAt(request: SourceRequest): string | null {
  const timestamp = headerOf(request.headers, 'x-configcat-webhook-timestamp');
  return timestamp && /^\d{1,12}$/.test(timestamp) ? new Date(Number(timestamp) * 1000).toISOString() : null;
}
