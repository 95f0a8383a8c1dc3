import type { Dialect } from '../../src/storage/database.js';
import { FakeSlack, type RecordedCall } from './fake-slack.js';
import { installWorkspace } from './install-workspace.js';
import { buttonClickPayload, sendCommand, sendEvent, sendInteraction } from './slack-requests.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Two installed workspaces against the fake Slack: T1 (installer U1, admin) and T2 (installer U2).
 * U1M is a member of T1, U1V a guest (at most viewer), U1A a Slack workspace admin.
 */
export interface Harness {
  slack: FakeSlack;
  app: TestApp;
  stop(): Promise<void>;
}

export async function startHarness(dialect: Dialect = 'sqlite', env: Record<string, string> = {}, now?: () => number): Promise<Harness> {
  const slack = await new FakeSlack().start();
  const app = await startTestApp({ dialect, slack, env, ...(now ? { now } : {}) });
  for (const [teamId, userId] of [
    ['T1', 'U1'],
    ['T2', 'U2'],
  ] as const) {
    const res = await installWorkspace(app.url, slack, { teamId, teamName: teamId, userId });
    if (res.status !== 302) throw new Error(`install of ${teamId} answered ${res.status}`);
  }
  slack.addUser({ id: 'U1M', teamId: 'T1', name: 'mia' });
  slack.addUser({ id: 'U1V', teamId: 'T1', name: 'guest', isRestricted: true });
  slack.addUser({ id: 'U1A', teamId: 'T1', name: 'slack-admin', isAdmin: true });
  slack.addUser({ id: 'U2M', teamId: 'T2', name: 'bob' });
  slack.addChannel({ id: 'C1GENERAL', name: 'general', teamIds: ['T1'] });
  slack.addChannel({ id: 'C1FLAGS', name: 'flags', teamIds: ['T1'] });
  slack.addChannel({ id: 'G1SECRET', name: 'secret-launches', isPrivate: true, isMember: false, teamIds: ['T1'] });
  slack.addChannel({ id: 'G1TEAM', name: 'team-private', isPrivate: true, isMember: true, teamIds: ['T1'] });
  slack.addChannel({ id: 'C2OTHER', name: 'other-general', teamIds: ['T2'] });
  return {
    slack,
    app,
    async stop() {
      await app.stop();
      await slack.stop();
    },
  };
}

export interface CommandAnswer {
  status: number;
  body: { response_type?: string; text?: string; blocks?: unknown[] } | undefined;
}

/** Runs /flag-alert and reads the ephemeral answer from the HTTP response body (ack). */
export async function command(
  h: Harness,
  teamId: string,
  userId: string,
  text: string,
  extra: { channelId?: string; triggerId?: string } = {},
): Promise<CommandAnswer> {
  const res = await sendCommand(h.app.url, { teamId, userId, text, ...extra }, h.app.signing);
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as CommandAnswer['body']) : undefined };
}

/** A view.state.values entry, the way Slack sends each element type. */
export const state = {
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  url: (value: string | null) => ({ type: 'url_text_input', value }),
  radio: (value: string) => ({ type: 'radio_buttons', selected_option: { value } }),
  select: (value: string | null) => ({ type: 'static_select', selected_option: value === null ? null : { value } }),
  multi: (values: string[]) => ({ type: 'multi_static_select', selected_options: values.map((value) => ({ value })) }),
  checks: (values: string[]) => ({ type: 'checkboxes', selected_options: values.map((value) => ({ value })) }),
  conversation: (id: string | null) => ({ type: 'conversations_select', selected_conversation: id }),
};

export type Values = Record<string, Record<string, unknown>>;

/** The modal's state for a simple form with free entry (no catalog): fields by their block ids. */
export function formValues(f: {
  name?: string;
  projectId?: string;
  scope?: 'project' | 'deployment' | 'tag';
  deploymentId?: string;
  tags?: string;
  destination?: 'slack' | 'webhook';
  channelId?: string | null;
  webhookUrl?: string;
  signingKey?: string;
  signingKeyBlock?: string;
  events?: string[];
}): Values {
  const scope = f.scope ?? 'project';
  const destination = f.destination ?? 'slack';
  const values: Values = {
    project: { project_text: state.text(f.projectId ?? '123') },
    scope: { scope_choice: state.radio(scope) },
    destination: { destination_choice: state.radio(destination) },
    events: { events_choice: state.checks(f.events ?? ['created', 'updated', 'deleted']) },
    name: { name_input: state.text(f.name ?? 'Checkout flags') },
  };
  if (scope === 'deployment') values.deployment = { deployment_text: state.text(f.deploymentId ?? '7') };
  if (scope === 'tag') values.tags = { tags_text: state.text(f.tags ?? 'checkout, payments') };
  if (destination === 'slack') values.channel = { channel_select: state.conversation(f.channelId === undefined ? 'C1FLAGS' : f.channelId) };
  else {
    values.webhook_url = { webhook_url_input: state.url(f.webhookUrl ?? 'https://93.184.215.14/hooks/flags') };
    values[f.signingKeyBlock ?? 'signing_key'] = { signing_key_input: state.text(f.signingKey ?? 'a-very-long-signing-key') };
  }
  return values;
}

/** A view_submission of the alert modal, as Slack posts it. */
export async function submitModal(
  h: Harness,
  input: { teamId: string; userId: string; values: Values; meta?: Record<string, unknown> },
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const payload = {
    type: 'view_submission',
    team: { id: input.teamId, domain: input.teamId.toLowerCase() },
    user: { id: input.userId, team_id: input.teamId, name: input.userId.toLowerCase() },
    api_app_id: 'AFAKEAPP',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${Date.now()}`,
    is_enterprise_install: false,
    view: {
      id: 'VMODAL1',
      team_id: input.teamId,
      type: 'modal',
      callback_id: 'alert_modal',
      private_metadata: JSON.stringify(input.meta ?? { mode: 'create', channelId: 'C1GENERAL' }),
      hash: 'h1',
      state: { values: input.values },
      blocks: [],
    },
  };
  const res = await sendInteraction(h.app.url, payload, h.app.signing);
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined };
}

/** A button click (block_actions) on the Home tab or in a modal. */
export async function clickButton(
  h: Harness,
  input: {
    teamId: string;
    userId: string;
    actionId: string;
    value?: string;
    container?: 'home' | 'modal' | 'message';
    view?: Record<string, unknown>;
    blockId?: string;
  },
): Promise<number> {
  const container = input.container ?? 'home';
  const homeView = { id: 'VHOME', type: 'home', team_id: input.teamId, private_metadata: '{"page":0}', hash: 'hh', state: { values: {} }, blocks: [] };
  const payload = buttonClickPayload({
    teamId: input.teamId,
    userId: input.userId,
    actionId: input.actionId,
    ...(input.value === undefined ? {} : { value: input.value }),
    ...(input.blockId === undefined ? {} : { blockId: input.blockId }),
    container: container === 'message' ? { type: 'message', channelId: 'C1GENERAL', ephemeral: true } : { type: 'view', view: input.view ?? homeView },
  });
  const res = await sendInteraction(h.app.url, payload, h.app.signing);
  await res.text();
  return res.status;
}

/** Opens the Home tab for a user and waits for its publish. */
export async function openHome(h: Harness, teamId: string, userId: string): Promise<RecordedCall> {
  const before = h.slack.callsOf('views.publish').length;
  const res = await sendEvent(
    h.app.url,
    { teamId, event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: '1.1' } },
    h.app.signing,
  );
  if (res.status !== 200) throw new Error(`app_home_opened answered ${res.status}`);
  return waitForNew(h, 'views.publish', before, (c) => c.args.user_id === userId);
}

/** Waits for a call of `method` that arrived after the first `after` calls of it. */
export async function waitForNew(h: Harness, method: string, after: number, predicate: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = h.slack.callsOf(method).slice(after).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no new ${method} call arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** All text of a view's or message's blocks, flattened, for "contains" checks. */
export function textOf(value: unknown): string {
  return JSON.stringify(value);
}
