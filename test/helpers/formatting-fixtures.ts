import type { AlertScope } from '../../src/alerts/alert.js';
import type { FlagEvent } from '../../src/flag-change/model.js';
import type { ChangeToFormat } from '../../src/formatting/change.js';
import { flagEventSchema } from '../../src/ingest/flag-event.schema.js';
import { flagChangeFixtures } from './flag-change-fixtures.js';

export const FLAG_URL_TEMPLATE = 'https://flags.example.com/p/{projectId}/flags/{flagId}';
export const RECEIVED_AT = Date.UTC(2026, 10, 20, 12, 0, 0);

/** Fixture events go through the ingest schema, so the formatter sees exactly what ingest stores. */
export function fixtureEvent(name: string): FlagEvent {
  const found = flagChangeFixtures.find((c) => c.name === name);
  if (!found) throw new Error(`no fixture case ${name}`);
  return flagEventSchema.parse(found.event);
}

export const fixtureNames: string[] = flagChangeFixtures.map((c) => c.name);

export function changeOf(event: FlagEvent, overrides: Partial<ChangeToFormat> = {}, scope: AlertScope = { type: 'project' }): ChangeToFormat {
  return {
    event,
    alert: { id: 7, name: 'Storefront flags', projectId: event.projectId, scope },
    receivedAt: RECEIVED_AT,
    detailsRef: 'delivery-123',
    flagUrlTemplate: FLAG_URL_TEMPLATE,
    ...overrides,
  };
}

export interface TextPiece {
  kind: 'header' | 'section' | 'field' | 'context' | 'button' | 'title' | 'other';
  text: string;
}

/** Every text object anywhere in a block tree, with the kind of place it sits in. */
export function textsOf(value: unknown, kind: TextPiece['kind'] = 'other'): TextPiece[] {
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v, kind));
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Record<string, unknown>;
  if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') return [{ kind, text: node.text }];
  const own: TextPiece['kind'] =
    node.type === 'header' ? 'header' : node.type === 'section' ? 'section' : node.type === 'context' ? 'context' : node.type === 'button' ? 'button' : kind;
  return Object.entries(node).flatMap(([key, v]) => textsOf(v, key === 'fields' ? 'field' : key === 'title' || key === 'close' ? 'title' : own));
}

const MAX: Record<TextPiece['kind'], number> = { header: 150, section: 3000, field: 2000, context: 3000, button: 75, title: 24, other: 3000 };

/** The Block Kit limits that make Slack refuse a message or view; returns what is broken. */
export function limitViolations(blocks: object[], maxBlocks: number): string[] {
  const problems = textsOf(blocks)
    .filter((t) => t.text.length > MAX[t.kind])
    .map((t) => `${t.kind} text of ${t.text.length} chars`);
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks`);
  return problems;
}
