import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/alerts/alerts.repository.js';
import { catalogValueOf } from '../../src/catalog/catalog-values.js';
import { organizationWithKey, postEvents } from '../helpers/delivery-fixtures.js';
import { viewProblems } from '../helpers/fake-slack-view-limits.js';
import { clickButton, command, startHarness, state, submitModal, waitForNew, type Harness, type Values } from '../helpers/slack-harness.js';
import { sendInteraction } from '../helpers/slack-requests.js';

/**
 * Flag platforms allow long keys and names (LaunchDarkly keys and tags, Unleash tags); Slack does not: an option's
 * value is at most 150 characters, its text 75, a static select holds 100 options. The fake Slack refuses a view over
 * those limits as Slack does (invalid_arguments), so every view below was accepted or the test fails.
 */
const LONG_PROJECT = `storefront-${'web-'.repeat(60)}`.slice(0, 220);
const LONG_TAG = `team:checkout/${'payments-'.repeat(30)}`.slice(0, 200);
const EMOJI_NAME = `🚀 Storefront 👨‍👩‍👧‍👦 ${'Checkout 🇳🇴 e\u0301clair 👍🏽 '.repeat(6)}`;
const EMOJI_LABEL = `Production 🇪🇺 ${'eu-west-1 👩🏽‍💻 '.repeat(8)}`;
const MANY = 'p-many';

interface Option {
  text: { text: string };
  value: string;
}
interface Element {
  type: string;
  options?: Option[];
  initial_option?: Option;
  initial_options?: Option[];
}
interface ViewOut {
  blocks: { block_id: string; element?: Element }[];
}

/** Every place a string of the text could be cut on whole characters: the text itself, or a prefix of it ending in "…". */
function isWholeCharacterCut(cut: string, full: string): boolean {
  if (cut === full) return true;
  if (!cut.endsWith('…')) return false;
  const kept = cut.slice(0, -1);
  const ends = [0, ...[...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(full)].map((s) => s.index + s.segment.length)];
  return full.startsWith(kept) && ends.includes(kept.length);
}

const modalView = (values: Values) => ({
  id: 'VLONG',
  type: 'modal',
  hash: 'h-long',
  callback_id: 'alert_modal',
  private_metadata: JSON.stringify({ mode: 'create', channelId: 'C1GENERAL' }),
  state: { values },
});

/** The modal's state after choosing a project from the select and a scope. */
function chosen(projectValue: string, scope: 'deployment' | 'tag', extra: Values = {}): Values {
  return {
    project: { project_select: state.select(projectValue) },
    project_other: { project_text: state.text(null) },
    scope: { scope_choice: state.radio(scope) },
    destination: { destination_choice: state.radio('slack') },
    channel: { channel_select: state.conversation('C1FLAGS') },
    events: { events_choice: state.checks(['created', 'updated', 'deleted']) },
    ...extra,
  };
}

/** A block_suggestion, as Slack posts it when a person opens or types in an external select of the modal. */
async function optionsFor(
  h: Harness,
  input: { teamId: string; userId: string; actionId: string; value: string; values: Values },
): Promise<{ status: number; options: Option[] }> {
  const payload = {
    type: 'block_suggestion',
    user: { id: input.userId, username: input.userId.toLowerCase(), name: input.userId.toLowerCase(), team_id: input.teamId },
    container: { type: 'view', view_id: 'VLONG' },
    api_app_id: 'AFAKEAPP',
    token: 'deprecated-verification-token',
    action_id: input.actionId,
    block_id: input.actionId === 'tags_select' ? 'tags' : 'deployment',
    value: input.value,
    team: { id: input.teamId, domain: input.teamId.toLowerCase() },
    enterprise: null,
    is_enterprise_install: false,
    view: { ...modalView(input.values), team_id: input.teamId },
  };
  const res = await sendInteraction(h.app.url, payload, h.app.signing);
  const raw = await res.text();
  return { status: res.status, options: raw ? ((JSON.parse(raw) as { options?: Option[] }).options ?? []) : [] };
}

/** Rebuilds the modal for this state (as a choice in it does) and returns the view Slack accepted. */
async function refreshed(h: Harness, values: Values): Promise<ViewOut> {
  const before = h.slack.callsOf('views.update').length;
  expect(await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'scope_choice', container: 'modal', view: modalView(values) })).toBe(200);
  const update = await waitForNew(h, 'views.update', before);
  expect(update.answer).toMatchObject({ ok: true });
  return update.args.view as ViewOut;
}

const elementOf = (view: ViewOut, blockId: string): Element | undefined => view.blocks.find((b) => b.block_id === blockId)?.element;

describe('long names: keys, tags and emoji-laden names past Slack limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const key = await organizationWithKey(h.app, 'T1');
    const flag = (id: number, extra: Record<string, unknown>) => ({ id, key: `flag-${id}`, enabled: true, ...extra });
    const res = await postEvents(h.app, key, {
      events: [
        {
          projectId: LONG_PROJECT,
          projectName: EMOJI_NAME,
          action: 'created',
          modifiedBy: 'ana@example.com',
          flag: flag(1, { tags: [LONG_TAG, 'payments'], deployments: [{ id: 71, label: EMOJI_LABEL }] }),
        },
        {
          projectId: MANY,
          projectName: 'Many',
          action: 'created',
          modifiedBy: 'ana@example.com',
          flag: flag(2, {
            deployments: Array.from({ length: 150 }, (_, i) => ({ id: `deploy-${i}`, label: `Region ${i}` })),
            tags: Array.from({ length: 500 }, (_, i) => `tag-${i}`),
          }),
        },
      ],
    });
    expect(res.status).toBe(202);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('opens the modal with a 220-character project key and an emoji-laden name, every option within Slack limits', async () => {
    const answer = await command(h, 'T1', 'U1M', '', { channelId: 'C1GENERAL', triggerId: 'trig-long' });
    expect(answer.status).toBe(200);
    expect(answer.body?.text).toBeUndefined();
    const open = h.slack.callsOf('views.open').at(-1);
    expect(open?.answer).toMatchObject({ ok: true });
    const options = elementOf(open?.args.view as ViewOut, 'project')?.options ?? [];
    const long = options.find((o) => o.value === catalogValueOf(LONG_PROJECT));
    expect(long?.value.length).toBeLessThanOrEqual(150);
    expect(long?.text.text.length).toBeLessThanOrEqual(75);
    expect(isWholeCharacterCut(long?.text.text ?? '', `${EMOJI_NAME} (${LONG_PROJECT})`)).toBe(true);
  });

  it('offers the 200-character tag with a short value, and a tag alert on it stores the FULL tag and delivers', async () => {
    const view = await refreshed(h, chosen(catalogValueOf(LONG_PROJECT), 'tag'));
    const tags = elementOf(view, 'tags');
    expect(tags?.type).toBe('multi_static_select');
    const option = tags?.options?.find((o) => o.value === catalogValueOf(LONG_TAG));
    expect(option?.value).toMatch(/^h:/);
    expect(isWholeCharacterCut(option?.text.text ?? '', LONG_TAG)).toBe(true);

    const name = 'Checkout 👨‍👩‍👧‍👦 launches 🇳🇴';
    const values = chosen(catalogValueOf(LONG_PROJECT), 'tag', {
      tags: { tags_select: state.multi([catalogValueOf(LONG_TAG)]) },
      tags_other: { tags_text: state.text(null) },
      name: { name_input: state.text(name) },
    });
    const saved = await submitModal(h, { teamId: 'T1', userId: 'U1M', values });
    expect(saved.body).toBeUndefined();
    const alert = (await listAlerts(h.app.deps.db, 'T1')).find((a) => a.name === name);
    expect(alert?.projectId).toBe(LONG_PROJECT);
    expect(alert?.scope).toEqual({ type: 'tag', tags: [LONG_TAG] });

    const key = await organizationWithKey(h.app, 'T1');
    const before = h.slack.callsOf('chat.postMessage').length;
    const change = {
      projectId: LONG_PROJECT,
      projectName: EMOJI_NAME,
      action: 'updated',
      modifiedBy: 'ana@example.com',
      flag: { id: 1, key: 'flag-1', enabled: true, rolloutPercentage: 50, tags: [LONG_TAG] },
      oldFlag: { id: 1, key: 'flag-1', enabled: true, rolloutPercentage: 10, tags: [LONG_TAG] },
    };
    expect((await postEvents(h.app, key, change)).status).toBe(202);
    const post = await waitForNew(h, 'chat.postMessage', before, (c) => c.args.channel === 'C1FLAGS');
    expect(post.answer).toMatchObject({ ok: true });
    expect(JSON.stringify(post.args.blocks)).toContain('flag-1');
  });

  it('shows the chosen long tag again when the modal is rebuilt (edit or refresh), from its short value', async () => {
    const view = await refreshed(
      h,
      chosen(catalogValueOf(LONG_PROJECT), 'tag', { tags: { tags_select: state.multi([catalogValueOf(LONG_TAG), 'payments']) } }),
    );
    expect(
      elementOf(view, 'tags')
        ?.initial_options?.map((o) => o.value)
        .sort(),
    ).toEqual([catalogValueOf(LONG_TAG), 'payments'].sort());
    expect(elementOf(view, 'tags_other')).toMatchObject({ type: 'plain_text_input' });
    expect(JSON.stringify(elementOf(view, 'tags_other'))).not.toContain('h:');
  });

  it('reaches each of 150 deployments through a searching select, and saves the one chosen', async () => {
    const view = await refreshed(h, chosen(MANY, 'deployment'));
    const select = elementOf(view, 'deployment');
    expect(select?.type).toBe('external_select');
    expect(select?.options).toBeUndefined();
    const values = chosen(MANY, 'deployment');
    // Ten searches by the last digit ("Region 7 (deploy-7)" ends in "7)") between them reach all 150, none more than once.
    const reached = new Set<string>();
    for (let digit = 0; digit < 10; digit += 1) {
      const { status, options } = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'deployment_select', value: `${digit})`, values });
      expect(status).toBe(200);
      expect(options).toHaveLength(15);
      for (const o of options) reached.add(o.value);
    }
    expect(reached).toEqual(new Set(Array.from({ length: 150 }, (_, i) => `deploy-${i}`)));
    const one = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'deployment_select', value: 'region 137', values });
    expect(one.options).toEqual([{ text: { type: 'plain_text', text: 'Region 137 (deploy-137)', emoji: true }, value: 'deploy-137' }]);
    const first = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'deployment_select', value: '', values });
    expect(first.options).toHaveLength(100);

    const submit = chosen(MANY, 'deployment', {
      deployment: { deployment_select: state.select('deploy-137') },
      deployment_other: { deployment_text: state.text(null) },
      name: { name_input: state.text('Region 137') },
    });
    expect((await submitModal(h, { teamId: 'T1', userId: 'U1M', values: submit })).body).toBeUndefined();
    const alert = (await listAlerts(h.app.deps.db, 'T1')).find((a) => a.name === 'Region 137');
    expect(alert?.scope).toEqual({ type: 'deployment', deploymentId: 'deploy-137', deploymentLabel: 'Region 137' });
  });

  it('reaches any of 500 tags through a searching multi-select', async () => {
    const view = await refreshed(h, chosen(MANY, 'tag'));
    expect(elementOf(view, 'tags')?.type).toBe('multi_external_select');
    const values = chosen(MANY, 'tag');
    for (const i of [0, 250, 499]) {
      const { options } = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'tags_select', value: `tag-${i}`, values });
      expect(options.map((o) => o.value)).toContain(`tag-${i}`);
    }
    const exact = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'tags_select', value: 'TAG-499', values });
    expect(exact.options.map((o) => o.value)).toEqual(['tag-499']);
  });

  it('has a fake Slack that refuses, as Slack does, an option value over 150 or an option text over 75 characters', () => {
    const select = { type: 'static_select', action_id: 'a', options: [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'v'.repeat(151) }] };
    expect(viewProblems({ type: 'modal', blocks: [{ type: 'input', block_id: 'b', element: select }] })).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/view/blocks/0/element/options/0/text/text]',
      '[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/options/0/value]',
    ]);
  });

  it('gives no options to a person of another workspace, nor to a viewer', async () => {
    const values = chosen(MANY, 'deployment');
    const member = await optionsFor(h, { teamId: 'T1', userId: 'U1M', actionId: 'deployment_select', value: 'Region 1', values });
    expect(member.options.length).toBeGreaterThan(0);
    const other = await optionsFor(h, { teamId: 'T2', userId: 'U2', actionId: 'deployment_select', value: 'Region 1', values });
    expect(other).toEqual({ status: 200, options: [] });
    const viewer = await optionsFor(h, { teamId: 'T1', userId: 'U1V', actionId: 'deployment_select', value: 'Region 1', values });
    expect(viewer).toEqual({ status: 200, options: [] });
  });
});
