import type { SectionBlock } from '@slack/types';
import { context, header, LIMITS, section } from './blocks.js';
import { viewDetailsButton } from './buttons.js';
import { flagUrl, type ChangeToFormat, type SlackMessage } from './change.js';
import { emojiOf, summarize } from './change-summary.js';
import { renderLine } from './field-changes.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** One change in a digest: a section of its own, and the words for the fallback text. */
export interface DigestEntry {
  block: SectionBlock;
  length: number;
  fallback: string;
}

/** Field lines shown per change in a digest; the rest is one click away in the details modal. */
const LINES_PER_ENTRY = 5;
const DIGEST_VALUE_MAX = 80;
/** Keeps each digest message readable and well under Slack's message size, not only its block count. */
const TEXT_PER_MESSAGE = 12_000;
/** header + one context line for "part n of m" */
const FRAME_BLOCKS = 2;

export function digestEntry(change: ChangeToFormat): DigestEntry {
  const s = summarize(change, DIGEST_VALUE_MAX);
  const url = flagUrl(change);
  const test = change.isTest ? ':test_tube: _Test_ · ' : '';
  const verb = s.verb.charAt(0).toUpperCase() + s.verb.slice(1);
  const meta = [s.project, ...(s.scope ? [s.scope.value] : []), `by ${s.who}`, s.when, ...(url ? [`<${escapeMrkdwn(url)}|Open flag>`] : [])];
  const shown = s.lines.slice(0, LINES_PER_ENTRY).map(renderLine);
  const more = s.lines.length > LINES_PER_ENTRY ? [`_+${s.lines.length - LINES_PER_ENTRY} more, see details_`] : [];
  const text = truncate([`${test}${emojiOf(s.verb)} *${verb}* ${s.title}`, meta.join(' · '), ...shown, ...more].join('\n'), LIMITS.sectionText);
  return {
    block: section(text, viewDetailsButton(change.detailsRef)),
    length: text.length,
    fallback: `${s.title} ${s.verb}`,
  };
}

/** Greedy packing in order: a new message starts when the block or text budget would be exceeded. */
export function packDigest(entries: DigestEntry[]): SlackMessage[] {
  const groups: DigestEntry[][] = [];
  let current: DigestEntry[] = [];
  let length = 0;
  for (const entry of entries) {
    const full = current.length >= LIMITS.messageBlocks - FRAME_BLOCKS || length + entry.length > TEXT_PER_MESSAGE;
    if (current.length > 0 && full) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(entry);
    length += entry.length;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => digestMessage(group, i, groups.length, entries.length));
}

function digestMessage(group: DigestEntry[], index: number, parts: number, total: number): SlackMessage {
  const title = `:bell: ${total} flag changes`;
  const blocks = [
    header(title),
    ...(parts > 1 ? [context(`Part ${index + 1} of ${parts} · ${group.length} changes in this message`)] : []),
    ...group.map((e) => e.block),
  ];
  const part = parts > 1 ? ` (part ${index + 1} of ${parts})` : '';
  const text = `${total} flag changes${part}: ${group.map((e) => e.fallback).join('; ')}`;
  return { text: truncate(text, LIMITS.fallbackText), blocks };
}
