import type { PlainTextOption } from '@slack/types';
import { catalogValueOf } from '../../catalog/catalog-values.js';
import type { FlagId } from '../../flag-change/model.js';
import { truncate } from '../../formatting/mrkdwn.js';

/**
 * Catalog entries as the modal's selects offer them, shared by the view builder and the options listener.
 * Slack's limits (docs.slack.dev/reference/block-kit/composition-objects/option-object, select-menu-element):
 * an option's text at most 75 characters, its value at most 150, a static select at most 100 options.
 * Past 100 entries a select searches instead (external_select, answered by the options listener). Option groups
 * (100 groups of 100) would also fit 500 tags, but every option would travel in every views.open and views.update
 * of the modal, and nothing past 10,000 would be reachable; a search sends at most 100 matches, whatever the size.
 */
export const MAX_OPTIONS = 100;
const MAX_OPTION_TEXT = 75;

/** An entry with its whole text (searched in full) and the value the form carries for it. */
export interface CatalogChoice {
  text: string;
  value: string;
}

const named = (name: string | null, id: FlagId): string => (name ? `${name} (${id})` : String(id));

export function projectChoices(projects: readonly { projectId: FlagId; name: string | null }[]): CatalogChoice[] {
  return projects.map((p) => ({ text: named(p.name, p.projectId), value: catalogValueOf(p.projectId) }));
}

export function deploymentChoices(deployments: readonly { deploymentId: FlagId; label: string | null }[]): CatalogChoice[] {
  return deployments.map((d) => ({ text: named(d.label, d.deploymentId), value: catalogValueOf(d.deploymentId) }));
}

export function tagChoices(tags: readonly string[]): CatalogChoice[] {
  return tags.map((tag) => ({ text: tag, value: catalogValueOf(tag) }));
}

/** An option object; the text cut on whole characters, so an emoji is never split. */
export function optionOf(choice: CatalogChoice): PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(choice.text, MAX_OPTION_TEXT, '…'), emoji: true }, value: choice.value };
}

/** What an external select offers for what the person typed: entries whose text contains it, ignoring case, at most 100. */
export function matchingChoices(choices: readonly CatalogChoice[], typed: string): CatalogChoice[] {
  const query = typed.trim().toLocaleLowerCase();
  const found: CatalogChoice[] = [];
  for (const choice of choices) {
    if (query === '' || choice.text.toLocaleLowerCase().includes(query)) found.push(choice);
    if (found.length === MAX_OPTIONS) break;
  }
  return found;
}
