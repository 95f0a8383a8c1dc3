import { deploymentIds, deploymentName } from '../flag-change/deployments.js';
import { flagOf, type FlagId } from '../flag-change/model.js';
import { occurredAtMs, verbOf, type ChangeToFormat, type ChangeVerb } from './change.js';
import { deploymentLabels } from './deployments.js';
import { changedFields, keySettings, type FieldLine } from './field-changes.js';
import { code, escapeAndTruncate, truncate } from './mrkdwn.js';
import { list } from './values.js';

/** Everything a message, a digest entry or the details modal says about one change; text parts are escaped mrkdwn. */
export interface ChangeSummary {
  verb: ChangeVerb;
  /** raw flag key, for plain-text places (header) */
  key: string;
  /** `key` in code style, plus the flag name when it has one */
  title: string;
  /** for running text: "Storefront (311)", or "project `311`" when the source gave no name */
  project: string;
  /** for the Project field, whose label already says it is a project: "Storefront (311)" or "`311`" */
  projectValue: string;
  scope: { label: string; value: string } | null;
  who: string;
  when: string;
  linesTitle: string;
  lines: FieldLine[];
  /** an update of which no previous state is known (a platform that sends none, on first sight): lines are the state now */
  previousUnknown: boolean;
}

const EMOJI: Record<ChangeVerb, string> = {
  created: ':sparkles:',
  activated: ':large_green_circle:',
  deactivated: ':red_circle:',
  updated: ':pencil2:',
  deleted: ':wastebasket:',
};

/** `valueMax` bounds each shown value: short in channel messages, long in the details modal. */
export function summarize(change: ChangeToFormat, valueMax: number): ChangeSummary {
  const { event } = change;
  const flag = flagOf(event);
  const key = flag?.key ?? '(unknown flag)';
  // Platforms whose flags have no name apart from the key (Unleash, Flagsmith, GrowthBook) send the key as the name: said once.
  const name = flag?.name && flag.name !== key ? ` — *${escapeAndTruncate(flag.name, 200)}*` : '';
  const labels = deploymentLabels(change);
  const ctx = { labels, valueMax };
  const verb = verbOf(event);
  const previousUnknown = event.action === 'updated' && !event.oldFlag;
  const lines = event.flag && event.oldFlag && event.action === 'updated' ? changedFields(event.oldFlag, event.flag, ctx) : flag ? keySettings(flag, ctx) : [];
  return {
    verb,
    key,
    title: `${code(truncate(key, 200, '…'))}${name}`,
    ...projectText(change),
    scope: scopeText(change, labels),
    who: escapeAndTruncate(event.modifiedBy, 200),
    when: dateToken(occurredAtMs(change)),
    linesTitle: event.action === 'created' ? 'Settings' : event.action === 'deleted' ? 'What it was' : previousUnknown ? 'Settings now' : 'Changes',
    lines,
    previousUnknown,
  };
}

export function emojiOf(verb: ChangeVerb): string {
  return EMOJI[verb];
}

/** Plain text for the header: "🟢 Flag activated: new-checkout". */
export function headline(summary: ChangeSummary): string {
  return `${EMOJI[summary.verb]} Flag ${summary.verb}: ${summary.key}`;
}

export function testNotice(change: ChangeToFormat): string {
  return `:test_tube: *Test notification from Flag Alerts* — alert «${escapeAndTruncate(change.alert.name, 200)}»`;
}

/** One line for notifications and clients without Block Kit. */
export function fallbackLine(change: ChangeToFormat, summary: ChangeSummary): string {
  const fields = summary.lines.map((l) => l.label).join(', ');
  const changed = change.event.action === 'updated' && fields ? `: ${fields}` : '';
  return `${change.isTest ? '[Test] ' : ''}Flag ${summary.title} ${summary.verb} in ${summary.project} by ${summary.who}${changed}`;
}

/** A project without a name shows its id in code style, so "project" never doubles the field's label or an id that reads like one. */
function projectText(change: ChangeToFormat): Pick<ChangeSummary, 'project' | 'projectValue'> {
  const { projectId, projectName } = change.event;
  if (projectName) {
    const named = `${escapeAndTruncate(projectName, 200)} (${escapeAndTruncate(String(projectId), 200)})`;
    return { project: named, projectValue: named };
  }
  const id = code(truncate(String(projectId), 200, '…'));
  return { project: `project ${id}`, projectValue: id };
}

/** What of the flag the alert watches: its deployment, its tags that this change carries, or (project alerts) the flag's deployments. */
function scopeText(change: ChangeToFormat, labels: ReadonlyMap<FlagId, string>): ChangeSummary['scope'] {
  const { scope } = change.alert;
  const { flag, oldFlag } = change.event;
  if (scope.type === 'deployment') {
    return { label: 'Deployment', value: escapeAndTruncate(deploymentName(scope.deploymentId, labels), 200) };
  }
  if (scope.type === 'tag') {
    const carried = new Set([...(flag?.tags ?? []), ...(oldFlag?.tags ?? [])]);
    const matched = scope.tags.filter((t) => carried.has(t));
    return { label: 'Tags', value: list((matched.length ? matched : scope.tags).map((t) => escapeAndTruncate(t, 100))) };
  }
  const ids = deploymentIds([...(oldFlag?.deployments ?? []), ...(flag?.deployments ?? [])]);
  if (ids.length === 0) return null;
  return { label: 'Deployments', value: list(ids.map((id) => escapeAndTruncate(deploymentName(id, labels), 100))) };
}

/** Slack shows this in the reader's own time zone; the fallback is UTC. */
function dateToken(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `<!date^${seconds}^{date_short_pretty} at {time}|${fallback} UTC>`;
}
