import type { z } from 'zod';
import type { DeploymentRef, FlagAction, FlagEvent, FlagSnapshot } from '../../flag-change/model.js';
import { issuesOf } from '../../http/validation-issues.js';
import type { SourceChange, Translation } from '../source-kind.js';
import { auditLogEnvelopeSchema, flagEntrySchema, type FlagEntry, type FlagVersion } from './payload.schema.js';
import { parseFlagResource, type FlagResource } from './resource.js';
import { environmentSnapshot, flagLevelSnapshot, type FlagIdentity } from './snapshot.js';

/**
 * Actions on the flag as a whole. LaunchDarkly lists one access per environment for them, yet they are tied to no
 * single environment. Every other action on a flag resource (updateOn, updateFallthrough, updateRules, updateTargets…)
 * is a change in the environment its resource names.
 */
const FLAG_WIDE_ACTIONS = new Set([
  'createFlag',
  'cloneFlag',
  'deleteFlag',
  'updateGlobalArchived',
  'updateTags',
  'updateName',
  'updateDescription',
  'updateDeprecated',
  'updateTemporary',
  'updateMaintainer',
  'updateFlagVariations',
  'updateFlagDefaultVariations',
  'updateFlagCustomProperties',
  'updateIncludeInSnippet',
  'updateClientSideFlagAvailability',
]);

/** What every change of one entry shares. */
type EventBase = Pick<FlagEvent, 'projectId' | 'eventId' | 'modifiedBy' | 'occurredAt'>;

/** A LaunchDarkly audit-log entry → the changes it makes; entries about anything but flags are ignored. */
export function translateLaunchDarkly(body: unknown): Translation {
  // One pass over the body: a flag entry is read whole at once, any other entry only as far as the envelope
  // (its versions are a member's or a segment's, not a flag's).
  if (kindOf(body) !== 'flag') {
    const envelope = auditLogEnvelopeSchema.safeParse(body);
    if (!envelope.success) return refused(envelope.error);
    return { ok: true, changes: [], ignored: 1, deliveryId: envelope.data._id };
  }
  const entry = flagEntrySchema.safeParse(body);
  if (!entry.success) return refused(entry.error);
  const deliveryId = entry.data._id;

  const accesses = entry.data.accesses.map((a) => ({ action: a.action, resource: parseFlagResource(a.resource) }));
  const target = accesses.find((a) => a.resource)?.resource;
  if (!target) return { ok: true, changes: [], ignored: 1, deliveryId };
  // An entry is about one flag; an access naming another resource is not ours to report.
  const ours = accesses.filter((a): a is { action: string; resource: FlagResource } => sameFlag(a.resource, target));
  const changes = changesOf(entry.data, target, ours);
  // An entry that yields nothing (an action with no environment to place it in) still counts once.
  const ignored = Math.max(accesses.length - ours.length, changes.length === 0 ? 1 : 0);
  return { ok: true, changes, ignored, deliveryId };
}

function changesOf(entry: FlagEntry, target: FlagResource, accesses: { action: string; resource: FlagResource }[]): SourceChange[] {
  const flag: FlagIdentity = { key: entry.currentVersion?.key ?? entry.previousVersion?.key ?? target.flag, name: entry.name ?? null };
  const base = baseEvent(entry, target.project);
  const actions = new Set(accesses.map((a) => a.action));
  const named = environmentsNamed(accesses).map((key) => deploymentOf(entry, key));

  if (actions.has('createFlag') || actions.has('cloneFlag')) return [created(base, flagLevelSnapshot(entry.currentVersion, flag, named))];
  if (actions.has('deleteFlag')) return [deleted(base, flagLevelSnapshot(entry.previousVersion ?? entry.currentVersion, flag, named))];
  if (actions.has('updateGlobalArchived')) {
    // Archiving retires the flag everywhere (it leaves the flag list); restoring brings it back.
    return isArchived(entry)
      ? [deleted(base, flagLevelSnapshot(entry.previousVersion ?? entry.currentVersion, flag, named))]
      : [created(base, flagLevelSnapshot(entry.currentVersion, flag, named))];
  }

  const changes: SourceChange[] = [];
  if (accesses.some((a) => FLAG_WIDE_ACTIONS.has(a.action))) {
    const before = entry.previousVersion ? flagLevelSnapshot(entry.previousVersion, flag, named) : null;
    changes.push(updated(base, null, before, flagLevelSnapshot(entry.currentVersion, flag, named)));
  }
  const inEnvironments = accesses.filter((a) => !FLAG_WIDE_ACTIONS.has(a.action));
  for (const key of environmentsNamed(inEnvironments)) {
    const deployment = deploymentOf(entry, key);
    const before = inEnvironment(entry.previousVersion, key, flag, deployment);
    // A current version that leaves this environment out says nothing of its state there (not: on elsewhere).
    const after = inEnvironment(entry.currentVersion, key, flag, deployment) ?? {
      ...flagLevelSnapshot(entry.currentVersion, flag, [deployment]),
      enabled: undefined,
    };
    changes.push(updated({ ...base, eventId: `${entry._id}:env/${key}` }, deployment, before, after));
  }
  return changes;
}

function baseEvent(entry: FlagEntry, project: string): EventBase {
  return { projectId: project, eventId: entry._id, modifiedBy: actorOf(entry), occurredAt: new Date(entry.date).toISOString() };
}

function created(base: EventBase, flag: FlagSnapshot): SourceChange {
  return { event: { ...base, action: 'created', flag }, environment: null };
}

function deleted(base: EventBase, oldFlag: FlagSnapshot): SourceChange {
  return { event: { ...base, action: 'deleted', oldFlag }, environment: null };
}

/** An update; without the previous state LaunchDarkly sent, ingest compares with the last state it stored. */
function updated(base: EventBase, environment: DeploymentRef | null, before: FlagSnapshot | null, after: FlagSnapshot): SourceChange {
  const action: FlagAction = 'updated';
  if (!before) return { event: { ...base, action, flag: after }, environment, previousUnknown: true };
  return { event: { ...base, action, flag: after, oldFlag: before }, environment };
}

/** The flag in one environment; null when the version does not list that environment (it then says nothing of it). */
function inEnvironment(version: FlagVersion | null | undefined, key: string, flag: FlagIdentity, deployment: DeploymentRef): FlagSnapshot | null {
  const config = version?.environments?.[key];
  return version && config ? environmentSnapshot(version, config, flag, deployment) : null;
}

/** An environment by key, labelled with the name LaunchDarkly gives it in the versions or the entry's parent. */
function deploymentOf(entry: FlagEntry, key: string): DeploymentRef {
  const parentKey = entry.parent?.resource ? /(?:^|:)env\/([^:;]+)/.exec(entry.parent.resource)?.[1] : undefined;
  const label =
    entry.currentVersion?.environments?.[key]?._environmentName ??
    entry.previousVersion?.environments?.[key]?._environmentName ??
    (parentKey === key ? entry.parent?.name : undefined) ??
    key;
  return { id: key, label };
}

function environmentsNamed(accesses: readonly { resource: FlagResource }[]): string[] {
  return [...new Set(accesses.flatMap((a) => (a.resource.environment ? [a.resource.environment] : [])))];
}

function isArchived(entry: FlagEntry): boolean {
  const archived = entry.currentVersion?.archived;
  if (typeof archived === 'boolean') return archived;
  return !/restor|unarchiv/i.test(entry.titleVerb ?? '');
}

/** Who made the change: the member's email, else their name, else the API token or app that acted. */
function actorOf(entry: FlagEntry): string {
  const member = entry.member;
  const memberName = [member?.firstName, member?.lastName].filter(Boolean).join(' ');
  return member?.email || memberName || entry.token?.name || entry.app?.name || entry.subject?.name || 'LaunchDarkly';
}

function kindOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { kind?: unknown }).kind : undefined;
}

function sameFlag(resource: FlagResource | null, target: FlagResource): boolean {
  return resource !== null && resource.project === target.project && resource.flag === target.flag;
}

function refused(error: z.ZodError): Translation {
  return { ok: false, error: 'not a LaunchDarkly audit-log entry', issues: issuesOf(error) };
}
