import type { ActionsBlock, HomeView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import { draftFromState, draftOfAlert, emptyDraft, errorsToBlocks, formOfDraft, parseMeta, type StateValues } from '../../../src/slack/views/alert-draft.js';
import { buildAlertModal, type ModalCatalog } from '../../../src/slack/views/alert-modal.js';
import { NOTIFICATION_CHANNEL_LABELS, NOTIFICATION_KIND_LABELS } from '../../../src/experiments/preference-form.js';
import { defaultPreference } from '../../../src/experiments/preferences.repository.js';
import { buildHomeView } from '../../../src/slack/views/home-view.js';
import { HOME_PAGE_SIZE } from '../../../src/slack/views/ids.js';
import { askAnAdminAnswer, confirmDeleteAnswer, helpAnswer, listAnswer } from '../../../src/slack/views/messages.js';
import { formValues, state } from '../../helpers/slack-harness.js';

const preference = defaultPreference('U1');
const noCatalog: ModalCatalog = { projects: [], deployments: [], tags: [] };
const catalog: ModalCatalog = {
  projects: [
    { projectId: 123, name: 'Shop' },
    { projectId: 9, name: null },
  ],
  deployments: [
    { deploymentId: 7, label: 'production' },
    { deploymentId: 8, label: null },
  ],
  tags: ['checkout', 'payments'],
};

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 1,
    organizationId: 'T1',
    name: 'Checkout <prod> & co',
    projectId: 123,
    scope: { type: 'project' },
    actions: ['created', 'updated', 'deleted'],
    destination: { type: 'slack', channelId: 'C1FLAGS', channelName: 'flags' },
    status: 'active',
    statusReason: null,
    createdBy: 'U1',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    lastDeliveryAt: null,
    lastDeliveryOutcome: null,
    ...over,
  };
}

describe('alert modal builder', () => {
  it('builds the create modal without catalog (free entry)', () => {
    expect(buildAlertModal({ meta: { mode: 'create', channelId: 'C1' }, draft: emptyDraft(), catalog: noCatalog })).toMatchSnapshot();
  });

  it('builds a deployment-scoped modal from the catalog, keeping a free deployment id', () => {
    const draft = { ...emptyDraft(), projectId: '123', scope: 'deployment' as const, deploymentId: '42', name: 'Typed' };
    expect(buildAlertModal({ meta: { mode: 'create' }, draft, catalog })).toMatchSnapshot();
  });

  it('builds a tag-scoped webhook edit modal with a stored key and a generated key', () => {
    const draft = {
      ...draftOfAlert(
        alert({
          scope: { type: 'tag', tags: ['checkout', 'custom'] },
          destination: { type: 'webhook', url: 'https://hooks.example.com/x', signingKeySealed: 'sealed' },
        }),
      ),
    };
    expect(buildAlertModal({ meta: { mode: 'edit', alertId: 1, hasStoredKey: true }, draft, catalog })).toMatchSnapshot();
    const generated = buildAlertModal({
      meta: { mode: 'edit', alertId: 1, hasStoredKey: true, keyNonce: 2, keyGenerated: true },
      draft: { ...draft, signingKey: 'whsec_abc' },
      catalog,
    });
    expect(JSON.stringify(generated)).toContain('"block_id":"signing_key.2"');
    expect(JSON.stringify(generated)).toContain('shown only once');
  });
});

describe('alert draft', () => {
  it('reads Slack state back, preferring typed ids over catalog choices and merging tags', () => {
    const values: StateValues = {
      ...formValues({ scope: 'tag', destination: 'webhook', signingKeyBlock: 'signing_key.3', signingKey: 'k'.repeat(20) }),
      project: { project_select: state.select('123') },
      project_other: { project_text: state.text('77') },
      tags: { tags_select: state.multi(['checkout']) },
      tags_other: { tags_text: state.text('custom, checkout') },
    };
    const draft = draftFromState(values, parseMeta(JSON.stringify({ mode: 'create', keyNonce: 3 })));
    expect(formOfDraft(draft)).toEqual({
      name: 'Checkout flags',
      projectId: '77',
      scope: 'tag',
      tags: ['checkout', 'custom'],
      destination: 'webhook',
      webhookUrl: 'https://93.184.215.14/hooks/flags',
      signingKey: 'k'.repeat(20),
      events: ['created', 'updated', 'deleted'],
    });
  });

  it('maps form errors onto block ids, including the renamed signing key block', () => {
    expect(errorsToBlocks({ name: 'a', webhookUrl: 'b', signingKey: 'c' }, { mode: 'create', keyNonce: 1 })).toEqual({
      name: 'a',
      webhook_url: 'b',
      'signing_key.1': 'c',
    });
  });

  it('treats broken private_metadata as a new create form', () => {
    expect(parseMeta('{not json')).toEqual({ mode: 'create' });
    expect(parseMeta(JSON.stringify({ mode: 'edit', alertId: '3' }))).toEqual({ mode: 'edit' });
  });
});

describe('home view builder', () => {
  it('shows every kind of alert, escaped', () => {
    const rows = [
      { alert: alert({ lastDeliveryAt: Date.UTC(2026, 0, 2, 3, 4), lastDeliveryOutcome: 'delivered' }), projectName: 'Shop', channelName: 'flags' },
      {
        alert: alert({ id: 2, name: 'Secret', destination: { type: 'slack', channelId: 'G1SECRET', channelName: 'secret' }, status: 'waiting' }),
        projectName: null,
        channelName: null,
      },
      {
        alert: alert({
          id: 3,
          name: 'Hook',
          scope: { type: 'deployment', deploymentId: 7, deploymentLabel: 'production' },
          destination: { type: 'webhook', url: 'https://hooks.example.com/x', signingKeySealed: 's' },
          status: 'broken',
          statusReason: 'HTTP 410',
        }),
        projectName: 'Shop',
        channelName: null,
      },
      {
        alert: alert({ id: 4, name: 'Paused tags', scope: { type: 'tag', tags: ['a', 'b'] }, status: 'paused', actions: ['deleted'] }),
        projectName: null,
        channelName: 'flags',
      },
    ];
    const view = buildHomeView({ rows, page: 0, canManage: true, preference });
    expect(view).toMatchSnapshot();
    expect(JSON.stringify(view)).not.toContain('<prod>');
  });

  it('stays within 100 blocks on every page', () => {
    const rows = Array.from({ length: 130 }, (_, i) => ({ alert: alert({ id: i + 1, name: `A${i}` }), projectName: null, channelName: null }));
    for (let page = 0; page < 7; page += 1) {
      const view = buildHomeView({ rows, page, canManage: true, preference });
      expect(view.blocks.length).toBeLessThanOrEqual(100);
    }
    const last = buildHomeView({ rows, page: 99, canManage: true, preference });
    expect(JSON.stringify(last)).toContain(`Page ${Math.ceil(130 / HOME_PAGE_SIZE)} of ${Math.ceil(130 / HOME_PAGE_SIZE)}`);
  });

  it('shows an empty workspace with a Create button only to those who may create', () => {
    expect(buildHomeView({ rows: [], page: 0, canManage: true, preference })).toMatchSnapshot();
    expect(JSON.stringify(buildHomeView({ rows: [], page: 0, canManage: false, preference }))).not.toContain('home_create');
  });

  const element = (view: HomeView, blockId: string) => {
    const block = view.blocks.find((b) => b.block_id === blockId);
    if (!block || block.type !== 'actions') throw new Error(`no actions block ${blockId}`);
    return (block as ActionsBlock).elements[0] as unknown as {
      type: string;
      action_id: string;
      options: { value: string; text: { text: string } }[];
      initial_options?: { value: string }[];
      initial_option?: { value: string; text: { text: string } };
    };
  };

  it("shows the viewer's notification choice: by default every kind, by Slack DM", () => {
    const view = buildHomeView({ rows: [], page: 0, canManage: false, notice: 'You have no role.', preference: defaultPreference('U1M') });
    const text = JSON.stringify(view);
    expect(text).toContain('Your experiment notifications');
    expect(text).toContain('Email goes to the address of your Slack profile.');
    const kinds = element(view, 'notification_kinds');
    expect(kinds).toMatchObject({ type: 'checkboxes', action_id: 'notification_kinds_choice' });
    expect(kinds.options.map((o) => [o.value, o.text.text])).toEqual(Object.entries(NOTIFICATION_KIND_LABELS));
    expect(kinds.initial_options?.map((o) => o.value)).toEqual(['starts_soon', 'ends_soon', 'srm', 'significance']);
    const channel = element(view, 'notification_channel');
    expect(channel).toMatchObject({ type: 'radio_buttons', action_id: 'notification_channel_choice' });
    expect(channel.options.map((o) => [o.value, o.text.text])).toEqual(Object.entries(NOTIFICATION_CHANNEL_LABELS));
    expect(channel.initial_option).toEqual(channel.options[0]);
  });

  it('shows a saved choice, and leaves initial options out when nothing is chosen', () => {
    const some = buildHomeView({ rows: [], page: 0, canManage: true, preference: { kinds: ['significance', 'srm'], channel: 'email' } });
    expect(element(some, 'notification_kinds').initial_options?.map((o) => o.value)).toEqual(['srm', 'significance']);
    expect(element(some, 'notification_channel').initial_option?.value).toBe('email');
    expect(element(some, 'notification_channel').initial_option).toEqual(element(some, 'notification_channel').options[1]);
    const none = buildHomeView({ rows: [], page: 0, canManage: true, preference: { kinds: [], channel: 'slack' } });
    expect(element(none, 'notification_kinds')).not.toHaveProperty('initial_options');
    expect(element(none, 'notification_kinds').options).toHaveLength(4);
  });

  it('keeps a full page with paging and the notification choice within 100 blocks', () => {
    const rows = Array.from({ length: HOME_PAGE_SIZE * 3 }, (_, i) => ({ alert: alert({ id: i + 1, name: `A${i}` }), projectName: null, channelName: null }));
    const view = buildHomeView({ rows, page: 1, canManage: true, preference });
    expect(JSON.stringify(view)).toContain('home_next');
    expect(JSON.stringify(view)).toContain('notification_kinds_choice');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });
});

describe('command answers', () => {
  it('builds help, list, delete confirmation and the ask-an-admin answer', () => {
    expect(helpAnswer('I don\'t know "x".')).toMatchSnapshot();
    expect(
      listAnswer(
        [alert(), alert({ id: 2, destination: { type: 'slack', channelId: 'G1', channelName: 'x' } })],
        new Map([[123, 'Shop']]),
        new Map([['C1FLAGS', 'flags']]),
      ),
    ).toMatchSnapshot();
    expect(confirmDeleteAnswer(alert())).toMatchSnapshot();
    expect(askAnAdminAnswer('viewer', 'create alerts', ['U1', 'U2']).text).toBe('You cannot create alerts: your role is viewer. Ask an admin (<@U1>, <@U2>).');
    expect(askAnAdminAnswer('none', 'see alerts', []).text).toBe('You cannot see alerts: you have no role in Flag Alerts. Ask an admin (a workspace admin).');
  });
});
