import type { KnownBlock } from '@slack/types';
import { actions, context, fieldsSection, header, LIMITS, section } from './blocks.js';
import { openFlagButton, viewDetailsButton } from './buttons.js';
import { flagUrl, type ChangeToFormat, type SlackMessage } from './change.js';
import { digestEntry, packDigest } from './digest.js';
import { renderLine } from './field-changes.js';
import { fallbackLine, headline, summarize, testNotice, type ChangeSummary } from './change-summary.js';
import { truncate } from './mrkdwn.js';

export { VIEW_DETAILS_ACTION_ID } from './buttons.js';

/** Values longer than this are cut in channel messages; the details modal shows more. */
const MESSAGE_VALUE_MAX = 200;

/** One change as a channel message. */
export function buildChangeMessage(change: ChangeToFormat): SlackMessage {
  const summary = summarize(change, MESSAGE_VALUE_MAX);
  const url = flagUrl(change);
  const blocks: KnownBlock[] = [
    ...(change.isTest ? [context(testNotice(change))] : []),
    header(headline(summary)),
    fieldsSection(summary.title, summaryFields(summary)),
    section(changeLines(summary)),
    actions([viewDetailsButton(change.detailsRef), ...(url ? [openFlagButton(url)] : [])]),
  ];
  return { text: truncate(fallbackLine(change, summary), LIMITS.fallbackText), blocks };
}

/**
 * Pending changes for one channel, folded into as few messages as Slack's limits allow.
 * Every change appears in exactly one message, in the order given.
 */
export function buildDigestMessages(changes: ChangeToFormat[]): SlackMessage[] {
  const [only] = changes;
  if (changes.length === 1 && only) return [buildChangeMessage(only)];
  return packDigest(changes.map(digestEntry));
}

/** The facts shared by the message and the details modal. */
export function summaryFields(summary: ChangeSummary): string[] {
  return [
    `*Project*\n${summary.projectValue}`,
    ...(summary.scope ? [`*${summary.scope.label}*\n${summary.scope.value}`] : []),
    `*Changed by*\n${summary.who}`,
    `*When*\n${summary.when}`,
  ];
}

function changeLines(summary: ChangeSummary): string {
  if (summary.previousUnknown)
    return `*${summary.linesTitle}*\n_Previous state unknown: this is the first change Flag Alerts has seen of this flag._\n${summary.lines.map(renderLine).join('\n')}`.trimEnd();
  if (summary.lines.length === 0) return `*${summary.linesTitle}*\n_No configuration change (bookkeeping fields only)_`;
  return `*${summary.linesTitle}*\n${summary.lines.map(renderLine).join('\n')}`;
}
