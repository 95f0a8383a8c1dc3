import { deploymentIds, deploymentName } from '../flag-change/deployments.js';
import { addedRemoved, changedFieldNames, variantChanges, variantKey, type KnownField } from '../flag-change/diff.js';
import { isFlagId } from '../flag-change/flag-id.js';
import type { FlagId, FlagSnapshot } from '../flag-change/model.js';
import { code, escapeAndTruncate, truncate } from './mrkdwn.js';
import { count, list, shortValue } from './values.js';

/** One line about one field; `text` is mrkdwn, already escaped. */
export interface FieldLine {
  field: string;
  label: string;
  text: string;
}

interface Context {
  labels: ReadonlyMap<FlagId, string>;
  /** longest raw value shown before it is cut */
  valueMax: number;
}

/**
 * A platform's own words for what changed (ConfigCat's ##ChangeDetails##, which sends nothing else of a rollout or a
 * targeting rule): shown as the platform wrote it, never as before → after, since the earlier words were about an earlier change.
 */
const CHANGE_DETAILS = 'changeDetails';

const LABELS: Record<KnownField | typeof CHANGE_DETAILS, string> = {
  enabled: 'Enabled',
  rolloutPercentage: 'Rollout',
  rolloutWeights: 'Rollout weights',
  variants: 'Variants',
  deployments: 'Deployments',
  tags: 'Tags',
  targetSegments: 'Target segments',
  description: 'Description',
  name: 'Name',
  evaluationMode: 'Evaluation mode',
  bucketingKey: 'Bucketing key',
  changeDetails: 'Change details',
};

/** Every configuration field that differs, known fields first; bookkeeping is ignored exactly as the notify rule ignores it. */
export function changedFields(before: FlagSnapshot, after: FlagSnapshot, ctx: Context): FieldLine[] {
  return changedFieldNames(before, after).map((key) => ({
    field: key,
    label: labelOf(key),
    text: describeChange(key, before[key], after[key], ctx),
  }));
}

/** What a created flag starts with, or what a deleted one was. */
export function keySettings(flag: FlagSnapshot, ctx: Context): FieldLine[] {
  const shown = ['enabled', 'rolloutPercentage', 'variants', 'deployments', 'tags', 'targetSegments', 'evaluationMode', 'description', CHANGE_DETAILS];
  return shown
    .filter((key) => flag[key] !== null && flag[key] !== undefined)
    .map((key) => ({ field: key, label: labelOf(key), text: describeValue(key, flag[key], ctx) }));
}

export function renderLine(line: FieldLine): string {
  return `• *${line.label}*: ${line.text}`;
}

function labelOf(key: string): string {
  return (LABELS as Record<string, string | undefined>)[key] ?? code(truncate(key, 60, '…'));
}

function describeChange(key: string, before: unknown, after: unknown, ctx: Context): string {
  switch (key) {
    case 'variants':
      return variantsChange(asArray(before), asArray(after));
    case 'deployments':
      return listChange(namesOf(before, ctx), namesOf(after, ctx));
    case 'tags':
      return listChange(asArray(before).map(String), asArray(after).map(String));
    case CHANGE_DETAILS:
      return describeValue(key, after, ctx);
    case 'targetSegments': {
      const [b, a] = [asArray(before), asArray(after)];
      return `${count(b.length, 'segment')} → ${count(a.length, 'segment')}${b.length === a.length ? ' (edited)' : ''}`;
    }
    default:
      return `${describeValue(key, before, ctx)} → ${describeValue(key, after, ctx)}`;
  }
}

function describeValue(key: string, value: unknown, ctx: Context): string {
  if (value === null || value === undefined) return '_none_';
  switch (key) {
    case 'enabled':
      return value === true ? '*on*' : 'off';
    case 'rolloutPercentage':
      return typeof value === 'number' ? `${value}%` : shortValue(value, ctx.valueMax);
    case 'rolloutWeights':
      return isRecord(value)
        ? list(Object.entries(value).map(([k, v]) => `${escapeAndTruncate(k, 60)}: ${shortValue(v, 60)}`))
        : shortValue(value, ctx.valueMax);
    case 'variants':
      return list(asArray(value).map((v) => code(shortKey(variantKey(v)))));
    case 'deployments':
      return list(namesOf(value, ctx).map((n) => escapeAndTruncate(n, 100)));
    case 'tags':
      return list(asArray(value).map((t) => escapeAndTruncate(String(t), 100)));
    case 'targetSegments':
      return count(asArray(value).length, 'segment');
    case CHANGE_DETAILS:
      return typeof value === 'string' ? codeBlock(value, ctx.valueMax) : shortValue(value, ctx.valueMax);
    default:
      return shortValue(value, ctx.valueMax);
  }
}

/** Lines of text as a code block on lines of their own, so their indentation (nesting, in ConfigCat's words) survives. */
function codeBlock(text: string, max: number): string {
  const lines = text.replace(/\r\n?/g, '\n').trim();
  return lines === '' ? '_empty_' : `\n\`\`\`${escapeAndTruncate(lines.replace(/`/g, 'ˋ'), max)}\`\`\``;
}

function variantsChange(before: unknown[], after: unknown[]): string {
  const { added, removed, edited } = variantChanges(before, after);
  const parts = [
    ...(added.length ? [`added ${list(added.map((v) => code(shortKey(variantKey(v)))))}`] : []),
    ...(removed.length ? [`removed ${list(removed.map((v) => code(shortKey(variantKey(v)))))}`] : []),
    ...(edited.length ? [`edited ${list(edited.map((v) => code(shortKey(variantKey(v)))))}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'reordered';
}

/** Added and removed items of a list of raw names. */
function listChange(before: string[], after: string[]): string {
  const { added, removed } = addedRemoved(before, after, (s) => s);
  const show = (items: string[]): string => list(items.map((s) => escapeAndTruncate(s, 100)));
  const parts = [...(added.length ? [`added ${show(added)}`] : []), ...(removed.length ? [`removed ${show(removed)}`] : [])];
  return parts.length ? parts.join('; ') : `${show(before)} → ${show(after)}`;
}

function namesOf(value: unknown, ctx: Context): string[] {
  const refs = asArray(value).filter((r): r is FlagId | { id: FlagId } => isFlagId(r) || (isRecord(r) && isFlagId(r.id)));
  return deploymentIds(refs).map((id) => deploymentName(id, ctx.labels));
}

function shortKey(key: string): string {
  return truncate(key, 80, '…');
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
