import type {
  ActionsBlock,
  ActionsBlockElement,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
  SectionBlockAccessory,
} from '@slack/types';
import { truncate, TRUNCATED_MARKER } from './mrkdwn.js';

/** Block Kit limits (api.slack.com/reference/block-kit); Slack refuses the whole message when one is exceeded. */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  fallbackText: 3000,
  buttonText: 75,
  modalTitle: 24,
} as const;

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function section(text: string, accessory?: SectionBlockAccessory): SectionBlock {
  const block: SectionBlock = { type: 'section', text: mrkdwn(truncate(text, LIMITS.sectionText)) };
  if (accessory) block.accessory = accessory;
  return block;
}

export function fieldsSection(text: string, fields: string[]): SectionBlock {
  return {
    type: 'section',
    text: mrkdwn(truncate(text, LIMITS.sectionText)),
    fields: fields.slice(0, LIMITS.sectionFields).map((f) => mrkdwn(truncate(f, LIMITS.sectionField))),
  };
}

export function context(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(truncate(text, LIMITS.sectionText))] };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: ActionsBlockElement[]): ActionsBlock {
  return { type: 'actions', elements };
}

export function plainText(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/**
 * Joins lines into as few texts of at most `max` characters as possible, in order.
 * A line longer than `max` on its own is cut with the marker.
 */
export function packLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Keeps the first `maxChunks` chunks and marks the last kept one when some were dropped. */
export function capChunks(chunks: string[], maxChunks: number, max: number): string[] {
  if (chunks.length <= maxChunks) return chunks;
  const kept = chunks.slice(0, Math.max(1, maxChunks));
  const last = kept.length - 1;
  kept[last] = `${truncate(kept[last] ?? '', max - TRUNCATED_MARKER.length - 1)}\n${TRUNCATED_MARKER}`;
  return kept;
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}
