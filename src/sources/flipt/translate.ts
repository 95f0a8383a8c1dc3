import type { z } from 'zod';
import type { FlagAction, FlagEvent } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { SourceChange, Translation } from '../source-kind.js';
import { flagPartPayloadSchema, flagPayloadSchema, fliptEventSchema, type FliptEvent } from './payload.schema.js';

const ACTIONS: readonly string[] = ['created', 'updated', 'deleted'] satisfies FlagAction[];

/**
 * The parts of a flag whose events change what the flag serves, each named by its `flag_key`. Not here, so ignored:
 * segment and constraint (shared by many flags, and the event names no flag), namespace, token, and distribution
 * (created and updated name only their rule; the rule's own events carry its distributions).
 */
const FLAG_PARTS = ['variant', 'rule', 'rollout'] as const;
type FlagPart = (typeof FLAG_PARTS)[number];

/** Flipt v1 fills an empty namespace with this one (storage.DefaultNamespace). */
const DEFAULT_NAMESPACE = 'default';

type Common = Pick<FlagEvent, 'modifiedBy' | 'occurredAt'>;

/**
 * One audit event per request. Flipt v1 has no environments: every change is tied to none (`deployments` empty),
 * and it sends no previous state, so updates and deletes are `previousUnknown`. Each event carries one entity (the
 * flag's own fields, or one variant, rule or rollout), so updates and deletes are `partial`: ingest keeps the
 * flag's other parts from the last state stored.
 */
export function translateFlipt(body: unknown): Translation {
  const parsed = fliptEventSchema.safeParse(body);
  if (!parsed.success) return refused(parsed.error);
  const event = parsed.data;
  // denied: an authorization failure, nothing changed (and its payload is null)
  if (event.status === 'denied' || !ACTIONS.includes(event.action)) return ignoredOne();
  const action = event.action as FlagAction;
  const common: Common = { modifiedBy: modifiedByOf(event), occurredAt: isoOf(event.timestamp) };
  if (event.type === 'flag') return flagChange(event.payload, action, common);
  if (isFlagPart(event.type)) return partChange(event.type, event.payload, action, common);
  return ignoredOne();
}

function flagChange(payload: unknown, action: FlagAction, common: Common): Translation {
  const parsed = flagPayloadSchema.safeParse(payload);
  if (!parsed.success) return refused(parsed.error, 'payload');
  const { key, name, description, enabled, default_variant: defaultVariant } = parsed.data;
  const project = { projectId: parsed.data.namespace_key || DEFAULT_NAMESPACE, projectName: null };
  const identity = { id: key, key, deployments: [] };
  if (action === 'deleted') {
    // the payload is the DeleteFlagRequest: the key, nothing of what the flag was
    return one({ event: { ...project, ...common, action, oldFlag: identity }, environment: null, previousUnknown: true, partial: true });
  }
  const flag = { ...identity, name, description, enabled, ...(defaultVariant ? { defaultVariant } : {}) };
  if (action === 'created') return one({ event: { ...project, ...common, action, flag }, environment: null });
  // audit.Flag is the whole flag after the update and omits an empty default_variant: absent, there is none now.
  const updated = { ...flag, defaultVariant: defaultVariant || null };
  return one({ event: { ...project, ...common, action, flag: updated }, environment: null, previousUnknown: true, partial: true });
}

/**
 * A variant, rule or rollout created, updated or deleted is an update of its flag. Each one is a field of the
 * snapshot of its own (`rule <id>`, null once deleted), since the event carries that one and not the flag's others.
 */
function partChange(part: FlagPart, payload: unknown, action: FlagAction, common: Common): Translation {
  const parsed = flagPartPayloadSchema.safeParse(payload);
  if (!parsed.success) return refused(parsed.error, 'payload');
  const { flag_key: flagKey, namespace_key: namespaceKey, id, rule_ids: ruleIds, rollout_ids: rolloutIds, ...content } = parsed.data;
  const order = ruleIds ?? rolloutIds;
  const field = order ? `${part}Order` : id ? `${part} ${id}` : null;
  if (field === null) {
    return { ok: false, error: `not a Flipt ${part} event`, issues: [{ path: 'payload.id', message: `a ${part} event names its ${part} by id` }] };
  }
  const value = order ?? (action === 'deleted' ? null : content);
  const flag = { id: flagKey, key: flagKey, [field]: value };
  return one({
    event: { projectId: namespaceKey || DEFAULT_NAMESPACE, projectName: null, ...common, action: 'updated', flag },
    environment: null,
    previousUnknown: true,
    partial: true,
  });
}

/** The actor's email, else name (OIDC, JWT, GitHub logins); tokens and no authentication carry neither. */
function modifiedByOf(event: FliptEvent): string {
  const actor = event.metadata?.actor;
  if (actor?.email) return actor.email;
  if (actor?.name) return actor.name;
  const method = actor?.authentication && actor.authentication !== 'none' ? `${actor.authentication} authentication` : 'anonymous';
  return actor?.ip ? `${method} (${actor.ip})` : method;
}

/** RFC 3339 in the Flipt server's own offset; kept as the same instant in UTC. */
function isoOf(timestamp: string): string | null {
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function isFlagPart(type: string): type is FlagPart {
  return (FLAG_PARTS as readonly string[]).includes(type);
}

function one(change: SourceChange): Translation {
  return { ok: true, changes: [change], ignored: 0 };
}

function ignoredOne(): Translation {
  return { ok: true, changes: [], ignored: 1 };
}

function refused(error: z.ZodError, prefix?: string): Translation {
  return { ok: false, error: 'not a Flipt v1 audit event', issues: issuesOf(error, prefix) };
}
