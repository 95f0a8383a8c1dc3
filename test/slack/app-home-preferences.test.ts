import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preferencesOf, type Preference } from '../../src/experiments/preferences.repository.js';
import type { RecordedCall } from '../helpers/fake-slack.js';
import { buttonClickPayload, sendInteraction } from '../helpers/slack-requests.js';
import { testDialects } from '../helpers/test-database.js';
import { openHome, startHarness, state, textOf, waitForNew, type Harness, type Values } from '../helpers/slack-harness.js';

const ALL_KINDS = ['starts_soon', 'ends_soon', 'srm', 'significance'];

interface Element {
  type: string;
  action_id: string;
  initial_options?: { value: string }[];
  initial_option?: { value: string };
}
interface Block {
  type: string;
  block_id?: string;
  elements?: Element[];
}

/** What the published Home shows as the viewer's choice: checked kinds and the selected channel. */
function shownChoice(publish: RecordedCall): { kinds: string[]; channel: string | undefined } {
  const blocks = (publish.args.view as { blocks: Block[] }).blocks;
  const element = (blockId: string) => blocks.find((b) => b.block_id === blockId)?.elements?.[0];
  const kinds = element('notification_kinds');
  const channel = element('notification_channel');
  if (kinds?.type !== 'checkboxes' || channel?.type !== 'radio_buttons') throw new Error('the Home tab has no notification choice');
  return { kinds: (kinds.initial_options ?? []).map((o) => o.value), channel: channel.initial_option?.value };
}

interface Change {
  teamId: string;
  userId: string;
  /** the element the person changed, as Slack reports it in `actions` */
  action: Record<string, unknown>;
  /** view.state.values at the time of the change */
  values: Values;
}

/** A block_actions from the Home tab, shaped like Slack's; answers the HTTP status and the republished Home. */
async function change(h: Harness, c: Change): Promise<{ status: number; publish: RecordedCall }> {
  const before = h.slack.callsOf('views.publish').length;
  const view = { id: 'VHOME', type: 'home', team_id: c.teamId, private_metadata: '{"page":0}', hash: 'hh', state: { values: c.values }, blocks: [] };
  // Slack's block_actions shape, with the changed element in place of a button.
  const payload = {
    ...buttonClickPayload({ teamId: c.teamId, userId: c.userId, actionId: String(c.action.action_id), container: { type: 'view', view } }),
    actions: [{ ...c.action, action_ts: '1.2' }],
  };
  const res = await sendInteraction(h.app.url, payload, h.app.signing);
  await res.text();
  const publish = await waitForNew(h, 'views.publish', before, (call) => call.args.user_id === c.userId);
  return { status: res.status, publish };
}

const kindsAction = (kinds: string[]) => ({ ...state.checks(kinds), action_id: 'notification_kinds_choice', block_id: 'notification_kinds' });
const channelAction = (channel: string) => ({ ...state.radio(channel), action_id: 'notification_channel_choice', block_id: 'notification_channel' });
const homeState = (kinds: string[], channel: string): Values => ({
  notification_kinds: { notification_kinds_choice: state.checks(kinds) },
  notification_channel: { notification_channel_choice: state.radio(channel) },
});

/** The person's kinds were changed to `kinds`, with the channel as the Home showed it. */
const setKinds = (h: Harness, teamId: string, userId: string, kinds: string[], channel = 'slack') =>
  change(h, { teamId, userId, action: kindsAction(kinds), values: homeState(kinds, channel) });
const setChannel = (h: Harness, teamId: string, userId: string, channel: string, kinds = ALL_KINDS) =>
  change(h, { teamId, userId, action: channelAction(channel), values: homeState(kinds, channel) });

describe.each(testDialects())('notification preferences on the App Home tab on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(async () => {
    await h.stop();
  });

  const stored = async (organizationId: string, person: string): Promise<Preference | undefined> =>
    (await preferencesOf(h.app.deps.db, organizationId, [person])).get(person);
  const rows = () => h.app.deps.db.selectFrom('notification_preferences').select(['organization_id', 'person', 'kinds', 'channel']).execute();

  it('shows every kind checked and Slack direct message by default', async () => {
    for (const userId of ['U1', 'U1M', 'U1V']) {
      const publish = await openHome(h, 'T1', userId);
      expect(shownChoice(publish)).toEqual({ kinds: ALL_KINDS, channel: 'slack' });
      expect(textOf(publish.args.view)).toContain('Your experiment notifications');
      expect(textOf(publish.args.view)).toContain('Email goes to the address of your Slack profile.');
    }
    expect(await rows()).toEqual([]);
  });

  it('saves an unchecked kind and then Email at once, and republishes with what is stored', async () => {
    await openHome(h, 'T1', 'U1M');
    const unchecked = await setKinds(h, 'T1', 'U1M', ['starts_soon', 'srm', 'significance']);
    expect(unchecked.status).toBe(200);
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['starts_soon', 'srm', 'significance'], channel: 'slack' });
    expect(unchecked.publish.token).toMatch(/^xoxb-T1-/);
    expect(shownChoice(unchecked.publish)).toEqual({ kinds: ['starts_soon', 'srm', 'significance'], channel: 'slack' });

    const email = await setChannel(h, 'T1', 'U1M', 'email', ['starts_soon', 'srm', 'significance']);
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['starts_soon', 'srm', 'significance'], channel: 'email' });
    expect(shownChoice(email.publish)).toEqual({ kinds: ['starts_soon', 'srm', 'significance'], channel: 'email' });

    const none = await setKinds(h, 'T1', 'U1M', [], 'email');
    expect(await stored('T1', 'U1M')).toEqual({ kinds: [], channel: 'email' });
    expect(shownChoice(none.publish)).toEqual({ kinds: [], channel: 'email' });
    expect(await rows()).toHaveLength(1);

    // Opening the Home later shows the stored choice, not the default.
    expect(shownChoice(await openHome(h, 'T1', 'U1M'))).toEqual({ kinds: [], channel: 'email' });
  });

  it('takes the changed element from the action and keeps the stored value of one missing from the state', async () => {
    await setChannel(h, 'T1', 'U1M', 'email', ['srm']);
    // The state is stale (still every kind); the action says what was just checked.
    await change(h, { teamId: 'T1', userId: 'U1M', action: kindsAction(['srm', 'significance']), values: homeState(ALL_KINDS, 'email') });
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['srm', 'significance'], channel: 'email' });
    // No state at all: the channel stays as stored.
    const publish = await change(h, { teamId: 'T1', userId: 'U1M', action: kindsAction(['ends_soon']), values: {} });
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['ends_soon'], channel: 'email' });
    expect(shownChoice(publish.publish)).toEqual({ kinds: ['ends_soon'], channel: 'email' });
  });

  it('lets a viewer and a person without a role set their own', async () => {
    h.slack.addUser({ id: 'U1N', teamId: 'T1', name: 'nobody' });
    await h.app.deps.db
      .insertInto('members')
      .values({ organization_id: 'T1', user_id: 'U1N', role: 'none', display_name: null, updated_by: 'U1', updated_at: 1 })
      .execute();

    const viewer = await setChannel(h, 'T1', 'U1V', 'email', ['significance']);
    expect(await stored('T1', 'U1V')).toEqual({ kinds: ['significance'], channel: 'email' });
    expect(shownChoice(viewer.publish)).toEqual({ kinds: ['significance'], channel: 'email' });

    const noRole = await setKinds(h, 'T1', 'U1N', ['srm']);
    expect(await stored('T1', 'U1N')).toEqual({ kinds: ['srm'], channel: 'slack' });
    expect(shownChoice(noRole.publish)).toEqual({ kinds: ['srm'], channel: 'slack' });
    expect(textOf(noRole.publish.args.view)).toContain('Ask an admin (<@U1>)');
    expect(await rows()).toHaveLength(2);
  });

  it('keeps workspaces apart for the same user id', async () => {
    await setChannel(h, 'T1', 'U1M', 'email', ['srm']);
    const other = await setKinds(h, 'T2', 'U1M', ['significance']);
    expect(other.publish.token).toMatch(/^xoxb-T2-/);
    expect(shownChoice(other.publish)).toEqual({ kinds: ['significance'], channel: 'slack' });
    expect(await stored('T2', 'U1M')).toEqual({ kinds: ['significance'], channel: 'slack' });
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['srm'], channel: 'email' });
    expect(shownChoice(await openHome(h, 'T1', 'U1M'))).toEqual({ kinds: ['srm'], channel: 'email' });
    expect(await rows()).toHaveLength(2);
  });

  it('stores nothing for a crafted payload and shows what is stored', async () => {
    const crafted: Change[] = [
      { teamId: 'T1', userId: 'U1M', action: kindsAction(['srm', 'bogus_kind']), values: homeState(['srm', 'bogus_kind'], 'slack') },
      { teamId: 'T1', userId: 'U1M', action: kindsAction(['srm']), values: homeState(['srm'], 'sms') },
      { teamId: 'T1', userId: 'U1M', action: channelAction('pigeon'), values: homeState(['srm'], 'pigeon') },
      { teamId: 'T1', userId: 'U1M', action: { ...kindsAction([]), selected_options: 'all' }, values: {} },
      { teamId: 'T1', userId: 'U1M', action: { ...channelAction('email'), selected_option: { value: 42 } }, values: {} },
    ];
    for (const c of crafted) {
      const answer = await change(h, c);
      expect(answer.status).toBe(200);
      expect(shownChoice(answer.publish)).toEqual({ kinds: ALL_KINDS, channel: 'slack' });
    }
    expect(await rows()).toEqual([]);
    expect(h.app.logs()).toContain('unknown notification kind \\"bogus_kind\\"');

    // A crafted change after a saved one leaves the saved one as it was.
    await setChannel(h, 'T1', 'U1M', 'email', ['ends_soon']);
    const answer = await change(h, crafted[0] as Change);
    expect(shownChoice(answer.publish)).toEqual({ kinds: ['ends_soon'], channel: 'email' });
    expect(await stored('T1', 'U1M')).toEqual({ kinds: ['ends_soon'], channel: 'email' });
  });
});
