import type { KnownBlock, ModalView, PlainTextElement, PlainTextOption } from '@slack/types';
import { catalogValueOf } from '../../catalog/catalog-values.js';
import type { FlagId } from '../../flag-change/model.js';
import { type AlertDraft, type ModalMeta, signingKeyBlockId } from './alert-draft.js';
import { type CatalogChoice, deploymentChoices, MAX_OPTIONS, optionOf, projectChoices, tagChoices } from './catalog-choices.js';
import { ACTION, BLOCK, CALLBACK } from './ids.js';

type Option = PlainTextOption;

/** What the catalog knows, for the choices (free entry stays possible); past 100 entries a select searches it (options listener). */
export interface ModalCatalog {
  projects: { projectId: FlagId; name: string | null }[];
  deployments: { deploymentId: FlagId; label: string | null }[];
  tags: string[];
}

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const option = (text: string, value: string): Option => optionOf({ text, value });

const SCOPES: Option[] = [option('All in the project', 'project'), option('By deployment', 'deployment'), option('By tag', 'tag')];
const DESTINATIONS: Option[] = [option('Slack channel', 'slack'), option('Webhook', 'webhook')];
const EVENTS: Option[] = [option('created', 'created'), option('updated', 'updated'), option('deleted', 'deleted')];

/** The create/edit modal, from the draft so far: the form adapts to scope and destination and keeps what was typed. */
export function buildAlertModal(input: { meta: ModalMeta; draft: AlertDraft; catalog: ModalCatalog }): ModalView {
  const { meta, draft, catalog } = input;
  const blocks: KnownBlock[] = [
    ...projectBlocks(draft, catalog),
    {
      type: 'input',
      block_id: BLOCK.scope,
      label: plain('Scope'),
      dispatch_action: true,
      element: { type: 'radio_buttons', action_id: ACTION.scopeChoice, options: SCOPES, initial_option: pick(SCOPES, draft.scope) },
    },
    ...scopeBlocks(draft, catalog),
    {
      type: 'input',
      block_id: BLOCK.destination,
      label: plain('Destination'),
      dispatch_action: true,
      element: { type: 'radio_buttons', action_id: ACTION.destinationChoice, options: DESTINATIONS, initial_option: pick(DESTINATIONS, draft.destination) },
    },
    ...destinationBlocks(draft, meta),
    {
      type: 'input',
      block_id: BLOCK.events,
      label: plain('Events'),
      element: { type: 'checkboxes', action_id: ACTION.eventsChoice, options: EVENTS, ...selected(EVENTS, draft.events) },
    },
    {
      type: 'input',
      block_id: BLOCK.name,
      label: plain('Alert name'),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.nameInput,
        max_length: 80,
        placeholder: plain('e.g. Checkout flags in production'),
        ...initial(draft.name),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK.alertModal,
    private_metadata: JSON.stringify(meta),
    title: plain(meta.mode === 'edit' ? 'Edit flag alert' : 'New flag alert'),
    submit: plain(meta.mode === 'edit' ? 'Save' : 'Create'),
    close: plain('Cancel'),
    blocks,
  };
}

function projectBlocks(draft: AlertDraft, catalog: ModalCatalog): KnownBlock[] {
  return idChoice({
    label: 'Project',
    hint: 'The project ID or key from your flag system.',
    example: '123',
    value: draft.projectId,
    block: BLOCK.project,
    otherBlock: BLOCK.projectOther,
    selectAction: ACTION.projectSelect,
    textAction: ACTION.projectText,
    // choosing a project reloads its deployments and tags
    dispatch: true,
    choices: projectChoices(catalog.projects),
  });
}

function scopeBlocks(draft: AlertDraft, catalog: ModalCatalog): KnownBlock[] {
  if (draft.scope === 'deployment') {
    return idChoice({
      label: 'Deployment',
      hint: 'The deployment ID or key.',
      example: '7',
      value: draft.deploymentId,
      block: BLOCK.deployment,
      otherBlock: BLOCK.deploymentOther,
      selectAction: ACTION.deploymentSelect,
      textAction: ACTION.deploymentText,
      dispatch: false,
      choices: deploymentChoices(catalog.deployments),
    });
  }
  if (draft.scope === 'tag') {
    const choices = tagChoices(catalog.tags);
    if (choices.length === 0) {
      return [
        {
          type: 'input',
          block_id: BLOCK.tags,
          label: plain('Tags'),
          hint: plain('Separate tags with commas.'),
          element: { type: 'plain_text_input', action_id: ACTION.tagsText, placeholder: plain('e.g. checkout, payments'), ...initial(draft.tags.join(', ')) },
        },
      ];
    }
    const known = draft.tags.filter((t) => catalog.tags.includes(t));
    const other = draft.tags.filter((t) => !catalog.tags.includes(t));
    const knownValues = new Set(known.map(catalogValueOf));
    const chosen = choices.filter((c) => knownValues.has(c.value)).map(optionOf);
    const initialOptions = chosen.length > 0 ? { initial_options: chosen } : {};
    return [
      {
        type: 'input',
        block_id: BLOCK.tags,
        label: plain('Tags'),
        optional: true,
        element:
          choices.length > MAX_OPTIONS
            ? { type: 'multi_external_select', action_id: ACTION.tagsSelect, placeholder: plain('Search tags'), min_query_length: 0, ...initialOptions }
            : {
                type: 'multi_static_select',
                action_id: ACTION.tagsSelect,
                placeholder: plain('Choose tags'),
                options: choices.map(optionOf),
                ...initialOptions,
              },
      },
      {
        type: 'input',
        block_id: BLOCK.tagsOther,
        label: plain('Other tags (comma-separated)'),
        optional: true,
        element: { type: 'plain_text_input', action_id: ACTION.tagsText, ...initial(other.join(', ')) },
      },
    ];
  }
  return [];
}

function destinationBlocks(draft: AlertDraft, meta: ModalMeta): KnownBlock[] {
  if (draft.destination === 'slack') {
    return [
      {
        type: 'input',
        block_id: BLOCK.channel,
        label: plain('Channel'),
        hint: plain('For a private channel, invite the app first: /invite @Flag Alerts'),
        element: {
          type: 'conversations_select',
          action_id: ACTION.channelSelect,
          placeholder: plain('Choose a channel'),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(draft.channelId ? { initial_conversation: draft.channelId } : { default_to_current_conversation: true }),
        },
      },
    ];
  }
  const keyHint = meta.keyGenerated
    ? 'Copy this key now: it is shown only once. Your receiver verifies signatures with it.'
    : meta.hasStoredKey
      ? 'Leave empty to keep the current key.'
      : 'At least 16 characters, or generate one. Your receiver verifies signatures with it.';
  return [
    {
      type: 'input',
      block_id: BLOCK.webhookUrl,
      label: plain('Webhook URL'),
      element: {
        type: 'url_text_input',
        action_id: ACTION.webhookUrlInput,
        placeholder: plain('https://example.com/hooks/flags'),
        ...initial(draft.webhookUrl),
      },
    },
    {
      type: 'input',
      block_id: signingKeyBlockId(meta),
      label: plain('Signing key'),
      hint: plain(keyHint),
      optional: meta.hasStoredKey === true,
      element: { type: 'plain_text_input', action_id: ACTION.signingKeyInput, ...initial(draft.signingKey) },
    },
    {
      type: 'actions',
      block_id: BLOCK.generateKey,
      elements: [{ type: 'button', action_id: ACTION.generateKey, text: plain('Generate key'), value: 'generate' }],
    },
  ];
}

/**
 * An id picked from the catalog, with free entry beside it for ids the catalog has not seen;
 * only free entry when the catalog knows none. Past 100 entries the select searches (external_select):
 * Slack takes at most 100 options in a static select.
 */
function idChoice(c: {
  label: string;
  hint: string;
  example: string;
  value: string;
  block: string;
  otherBlock: string;
  selectAction: string;
  textAction: string;
  dispatch: boolean;
  choices: CatalogChoice[];
}): KnownBlock[] {
  if (c.choices.length === 0) {
    return [
      {
        type: 'input',
        block_id: c.block,
        label: plain(c.label),
        hint: plain(c.hint),
        element: { type: 'plain_text_input', action_id: c.textAction, placeholder: plain(`e.g. ${c.example}`), ...initial(c.value) },
      },
    ];
  }
  const value = c.value.trim();
  const chosen = value === '' ? undefined : c.choices.find((o) => o.value === catalogValueOf(value));
  const initialOption = chosen ? { initial_option: optionOf(chosen) } : {};
  const noun = c.label.toLowerCase();
  return [
    {
      type: 'input',
      block_id: c.block,
      label: plain(c.label),
      optional: true,
      ...(c.dispatch ? { dispatch_action: true } : {}),
      element:
        c.choices.length > MAX_OPTIONS
          ? { type: 'external_select', action_id: c.selectAction, placeholder: plain(`Search ${noun}s`), min_query_length: 0, ...initialOption }
          : { type: 'static_select', action_id: c.selectAction, placeholder: plain(`Choose a ${noun}`), options: c.choices.map(optionOf), ...initialOption },
    },
    {
      type: 'input',
      block_id: c.otherBlock,
      label: plain(`${c.label} ID (if not listed)`),
      optional: true,
      element: { type: 'plain_text_input', action_id: c.textAction, placeholder: plain(`e.g. ${c.example}`), ...initial(chosen ? '' : c.value) },
    },
  ];
}

function pick(options: Option[], value: string): Option | undefined {
  return options.find((o) => o.value === value);
}

function selected(options: Option[], values: string[]): { initial_options?: Option[] } {
  const chosen = options.filter((o) => o.value !== undefined && values.includes(o.value));
  return chosen.length > 0 ? { initial_options: chosen } : {};
}

function initial(value: string): { initial_value?: string } {
  return value ? { initial_value: value } : {};
}
