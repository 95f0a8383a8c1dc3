import type { AlertField, AlertForm } from '../../alerts/alert-form.js';
import type { Alert } from '../../alerts/alert.js';
import { FLAG_ACTIONS } from '../../flag-change/model.js';
import { ACTION, BLOCK } from './ids.js';

/** What the modal shows: the form as typed so far. */
export interface AlertDraft {
  name: string;
  projectId: string;
  scope: 'project' | 'deployment' | 'tag';
  deploymentId: string;
  tags: string[];
  destination: 'slack' | 'webhook';
  channelId: string;
  webhookUrl: string;
  signingKey: string;
  events: string[];
}

/** Travels in the modal's private_metadata. */
export interface ModalMeta {
  mode: 'create' | 'edit';
  alertId?: number;
  /** the conversation the command came from, the channel's default */
  channelId?: string;
  /** bumped by "Generate key" so the signing key block is new to Slack */
  keyNonce?: number;
  /** a generated key is on screen: say it is shown once */
  keyGenerated?: boolean;
  /** editing a webhook alert with a stored key: an empty key keeps it */
  hasStoredKey?: boolean;
}

export function emptyDraft(channelId?: string): AlertDraft {
  return {
    name: '',
    projectId: '',
    scope: 'project',
    deploymentId: '',
    tags: [],
    destination: 'slack',
    channelId: channelId ?? '',
    webhookUrl: '',
    signingKey: '',
    events: [...FLAG_ACTIONS],
  };
}

export function draftOfAlert(alert: Alert): AlertDraft {
  const d = alert.destination;
  return {
    name: alert.name,
    projectId: String(alert.projectId),
    scope: alert.scope.type,
    deploymentId: alert.scope.type === 'deployment' ? String(alert.scope.deploymentId) : '',
    tags: alert.scope.type === 'tag' ? alert.scope.tags : [],
    destination: d.type,
    channelId: d.type === 'slack' ? d.channelId : '',
    webhookUrl: d.type === 'webhook' ? d.url : '',
    // the stored key is never shown again
    signingKey: '',
    events: [...alert.actions],
  };
}

export function signingKeyBlockId(meta: ModalMeta): string {
  return meta.keyNonce ? `${BLOCK.signingKey}.${meta.keyNonce}` : BLOCK.signingKey;
}

export function parseMeta(text: string | undefined): ModalMeta {
  try {
    const v = JSON.parse(text ?? '{}') as Partial<ModalMeta>;
    return {
      mode: v.mode === 'edit' ? 'edit' : 'create',
      ...(typeof v.alertId === 'number' ? { alertId: v.alertId } : {}),
      ...(typeof v.channelId === 'string' ? { channelId: v.channelId } : {}),
      ...(typeof v.keyNonce === 'number' ? { keyNonce: v.keyNonce } : {}),
      ...(v.keyGenerated === true ? { keyGenerated: true } : {}),
      ...(v.hasStoredKey === true ? { hasStoredKey: true } : {}),
    };
  } catch {
    return { mode: 'create' };
  }
}

/** One element's value in view.state.values, as Slack sends it. */
export interface StateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_conversation?: string | null;
}
export type StateValues = Record<string, Record<string, StateValue>>;

function value(values: StateValues, block: string, action: string): StateValue | undefined {
  return values[block]?.[action];
}
function text(values: StateValues, block: string, action: string): string {
  return value(values, block, action)?.value ?? '';
}
function splitTags(t: string): string[] {
  return t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Reads view.state.values back into a draft; fields the view does not show keep the previous draft's value. */
export function draftFromState(values: StateValues, meta: ModalMeta, previous: AlertDraft = emptyDraft(meta.channelId)): AlertDraft {
  const d: AlertDraft = { ...previous };
  const projectSelect = value(values, BLOCK.project, ACTION.projectSelect)?.selected_option?.value;
  const projectText = text(values, BLOCK.projectOther, ACTION.projectText) || text(values, BLOCK.project, ACTION.projectText);
  if (values[BLOCK.project] || values[BLOCK.projectOther]) d.projectId = projectText.trim() || projectSelect || '';

  const scope = value(values, BLOCK.scope, ACTION.scopeChoice)?.selected_option?.value;
  if (scope === 'project' || scope === 'deployment' || scope === 'tag') d.scope = scope;

  if (values[BLOCK.deployment] || values[BLOCK.deploymentOther]) {
    const selected = value(values, BLOCK.deployment, ACTION.deploymentSelect)?.selected_option?.value;
    const typed = text(values, BLOCK.deploymentOther, ACTION.deploymentText) || text(values, BLOCK.deployment, ACTION.deploymentText);
    d.deploymentId = typed.trim() || selected || '';
  }
  if (values[BLOCK.tags] || values[BLOCK.tagsOther]) {
    const selected = (value(values, BLOCK.tags, ACTION.tagsSelect)?.selected_options ?? []).map((o) => o.value);
    const typed = splitTags(text(values, BLOCK.tagsOther, ACTION.tagsText) || text(values, BLOCK.tags, ACTION.tagsText));
    d.tags = [...new Set([...selected, ...typed])];
  }

  const destination = value(values, BLOCK.destination, ACTION.destinationChoice)?.selected_option?.value;
  if (destination === 'slack' || destination === 'webhook') d.destination = destination;
  if (values[BLOCK.channel]) d.channelId = value(values, BLOCK.channel, ACTION.channelSelect)?.selected_conversation ?? '';
  if (values[BLOCK.webhookUrl]) d.webhookUrl = text(values, BLOCK.webhookUrl, ACTION.webhookUrlInput);
  const keyBlock = signingKeyBlockId(meta);
  if (values[keyBlock]) d.signingKey = text(values, keyBlock, ACTION.signingKeyInput);
  if (values[BLOCK.events]) d.events = (value(values, BLOCK.events, ACTION.eventsChoice)?.selected_options ?? []).map((o) => o.value);
  if (values[BLOCK.name]) d.name = text(values, BLOCK.name, ACTION.nameInput);
  return d;
}

export function formOfDraft(d: AlertDraft): AlertForm {
  return {
    name: d.name,
    projectId: d.projectId,
    scope: d.scope,
    events: d.events,
    destination: d.destination,
    ...(d.scope === 'deployment' ? { deploymentId: d.deploymentId } : {}),
    ...(d.scope === 'tag' ? { tags: d.tags } : {}),
    ...(d.destination === 'slack' ? { channelId: d.channelId } : { webhookUrl: d.webhookUrl, signingKey: d.signingKey }),
  };
}

/** Maps validation errors onto the modal's blocks (response_action: errors). */
export function errorsToBlocks(errors: Partial<Record<AlertField, string>>, meta: ModalMeta): Record<string, string> {
  const blockOf: Record<AlertField, string> = {
    name: BLOCK.name,
    project: BLOCK.project,
    scope: BLOCK.scope,
    deployment: BLOCK.deployment,
    tags: BLOCK.tags,
    destination: BLOCK.destination,
    channel: BLOCK.channel,
    webhookUrl: BLOCK.webhookUrl,
    signingKey: signingKeyBlockId(meta),
    events: BLOCK.events,
  };
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [AlertField, string][]) out[blockOf[field]] = message;
  return out;
}
