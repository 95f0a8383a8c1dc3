import type { KnownBlock, ModalView } from '@slack/types';
import { actions, capChunks, context, divider, fieldsSection, header, LIMITS, packLines, plainText, section } from './blocks.js';
import { openFlagButton } from './buttons.js';
import { flagUrl, type ChangeToFormat } from './change.js';
import { headline, summarize, testNotice } from './change-summary.js';
import { renderLine } from './field-changes.js';
import { escapeAndTruncate } from './mrkdwn.js';
import { summaryFields } from './slack-message.js';

const DETAILS_VALUE_MAX = 1000;
/** Room inside a section for the ``` fences and the line breaks around them. */
const CODE_CHUNK_MAX = LIMITS.sectionText - 10;
const MAX_CHANGE_SECTIONS = 30;
/** A JSON line longer than this is cut; escaping may make it up to 5 times longer. */
const JSON_LINE_MAX = 500;

/** The "View details" modal: every changed field and the raw snapshots before and after. */
export function buildChangeDetailsView(change: ChangeToFormat): ModalView {
  const summary = summarize(change, DETAILS_VALUE_MAX);
  const url = flagUrl(change);
  const lines = summary.lines.length ? summary.lines.map(renderLine) : ['_No configuration change (bookkeeping fields only)_'];
  const top: KnownBlock[] = [
    ...(change.isTest ? [context(testNotice(change))] : []),
    header(headline(summary)),
    fieldsSection(summary.title, summaryFields(summary)),
    ...(url ? [actions([openFlagButton(url)])] : []),
    divider(),
    ...capChunks(packLines([`*${summary.linesTitle}*`, ...lines], LIMITS.sectionText), MAX_CHANGE_SECTIONS, LIMITS.sectionText).map((t) => section(t)),
    divider(),
  ];
  // What is left of the modal's block budget is shared by the two snapshots (a title section each, then code).
  const perSnapshot = Math.max(1, Math.floor((LIMITS.modalBlocks - top.length) / 2) - 1);
  return {
    type: 'modal',
    title: plainText('Flag change', LIMITS.modalTitle),
    close: plainText('Close', LIMITS.modalTitle),
    blocks: [...top, ...snapshotBlocks('Before', change.event.oldFlag, perSnapshot), ...snapshotBlocks('After', change.event.flag, perSnapshot)],
  };
}

function snapshotBlocks(title: string, flag: unknown, maxChunks: number): KnownBlock[] {
  if (flag === null || flag === undefined) return [section(`*${title}*\n_none_`)];
  const jsonLines = (JSON.stringify(flag, null, 2) ?? 'null').split('\n').map((l) => escapeAndTruncate(l, JSON_LINE_MAX));
  const chunks = capChunks(packLines(jsonLines, CODE_CHUNK_MAX), maxChunks, CODE_CHUNK_MAX);
  return [section(`*${title}*`), ...chunks.map((c) => section('```\n' + c + '\n```'))];
}
