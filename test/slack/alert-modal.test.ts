import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAlert, listAlerts } from '../../src/alerts/alerts.repository.js';
import { openSigningKey } from '../../src/alerts/alerts.repository.js';
import { clickButton, command, formValues, openHome, startHarness, state, submitModal, textOf, waitForNew, type Harness } from '../helpers/slack-harness.js';

describe('the alert modal over Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('opens from /flag-alert with the current channel as default, within the trigger', async () => {
    const answer = await command(h, 'T1', 'U1M', '', { channelId: 'C1GENERAL', triggerId: 'trig-1' });
    expect(answer.status).toBe(200);
    expect(answer.body?.text).toBeUndefined();
    const open = h.slack.callsOf('views.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.args.trigger_id).toBe('trig-1');
    const view = open[0]?.args.view as { callback_id: string; blocks: { label?: { text: string } }[]; private_metadata: string };
    expect(view.callback_id).toBe('alert_modal');
    expect(view.blocks.flatMap((b) => (b.label ? [b.label.text] : []))).toEqual(['Project', 'Scope', 'Destination', 'Channel', 'Events', 'Alert name']);
    expect(textOf(view)).toContain('"default_to_current_conversation":true');
    expect(JSON.parse(view.private_metadata)).toEqual({ mode: 'create', channelId: 'C1GENERAL' });
    expect(open[0]?.token).toMatch(/^xoxb-T1-/);
  });

  const combos = [
    ['project', 'slack'],
    ['deployment', 'slack'],
    ['tag', 'slack'],
    ['project', 'webhook'],
    ['deployment', 'webhook'],
    ['tag', 'webhook'],
  ] as const;

  it.each(combos)('a member creates a %s-scoped alert to %s, stored as entered and shown on Home', async (scope, destination) => {
    await openHome(h, 'T1', 'U1M');
    const before = h.slack.callsOf('views.publish').length;
    const res = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1M',
      values: formValues({
        name: `My ${scope} ${destination}`,
        scope,
        destination,
        deploymentId: '7',
        tags: 'checkout, payments ,checkout',
        events: ['created', 'deleted'],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
    const [alert] = await listAlerts(h.app.deps.db, 'T1');
    expect(alert).toMatchObject({ name: `My ${scope} ${destination}`, projectId: 123, actions: ['created', 'deleted'], status: 'active', createdBy: 'U1M' });
    expect(alert?.scope).toEqual(
      scope === 'project'
        ? { type: 'project' }
        : scope === 'deployment'
          ? { type: 'deployment', deploymentId: 7, deploymentLabel: null }
          : { type: 'tag', tags: ['checkout', 'payments'] },
    );
    if (destination === 'slack') expect(alert?.destination).toEqual({ type: 'slack', channelId: 'C1FLAGS', channelName: 'flags' });
    else {
      expect(alert?.destination).toMatchObject({ type: 'webhook', url: 'https://93.184.215.14/hooks/flags' });
      expect(alert && openSigningKey(h.app.deps.box, alert)).toBe('a-very-long-signing-key');
    }
    expect(await listAlerts(h.app.deps.db, 'T2')).toEqual([]);
    const home = await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1M');
    expect(textOf(home.args.view)).toContain(`My ${scope} ${destination}`);
  });

  it.each([
    ['name', { name: '' }, 'name'],
    ['plain http URL', { destination: 'webhook' as const, webhookUrl: 'http://93.184.215.14/x' }, 'webhook_url'],
    ['malformed URL', { destination: 'webhook' as const, webhookUrl: 'https//nope' }, 'webhook_url'],
    ['loopback URL', { destination: 'webhook' as const, webhookUrl: 'https://127.0.0.1:8443/x' }, 'webhook_url'],
    ['metadata URL', { destination: 'webhook' as const, webhookUrl: 'https://169.254.169.254/latest/meta-data' }, 'webhook_url'],
    ['short signing key', { destination: 'webhook' as const, signingKey: 'too-short' }, 'signing_key'],
    ['missing channel', { channelId: null }, 'channel'],
    ['project', { projectId: 'p'.repeat(501) }, 'project'],
    ['tags', { scope: 'tag' as const, tags: ' , ' }, 'tags'],
    ['events', { events: [] }, 'events'],
  ])('shows an error for a bad %s inline on its block and stores nothing', async (_label, form, block) => {
    const res = await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues(form) });
    expect(res.status).toBe(200);
    expect(res.body?.response_action).toBe('errors');
    expect(Object.keys(res.body?.errors as object)).toEqual([block]);
    expect(await listAlerts(h.app.deps.db, 'T1')).toEqual([]);
  });

  it('refuses a deployment not in the project when the catalog knows the project', async () => {
    await h.app.deps.db.insertInto('catalog_projects').values({ organization_id: 'T1', project_id: '123', name: 'Shop', updated_at: 1 }).execute();
    await h.app.deps.db
      .insertInto('catalog_deployments')
      .values({ organization_id: 'T1', project_id: '123', deployment_id: '7', label: 'production', updated_at: 1 })
      .execute();
    const values = formValues({ scope: 'deployment' });
    delete values.project;
    values.project = { project_select: state.select('123') };
    values.project_other = { project_text: state.text(null) };
    values.deployment = { deployment_select: state.select(null) };
    values.deployment_other = { deployment_text: state.text('8') };
    const bad = await submitModal(h, { teamId: 'T1', userId: 'U1M', values });
    expect(bad.body).toEqual({ response_action: 'errors', errors: { deployment: 'Deployment 8 is not in project 123.' } });
    values.deployment = { deployment_select: state.select('7') };
    values.deployment_other = { deployment_text: state.text(null) };
    const good = await submitModal(h, { teamId: 'T1', userId: 'U1M', values });
    expect(good.body).toBeUndefined();
    expect((await listAlerts(h.app.deps.db, 'T1'))[0]?.scope).toEqual({ type: 'deployment', deploymentId: 7, deploymentLabel: 'production' });
  });

  it('refuses a duplicate alert on the channel field', async () => {
    expect((await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues({ name: 'first' }) })).body).toBeUndefined();
    const dup = await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues({ name: 'second' }) });
    expect(dup.body?.response_action).toBe('errors');
    expect(Object.keys(dup.body?.errors as object)).toEqual(['channel']);
    expect(await listAlerts(h.app.deps.db, 'T1')).toHaveLength(1);
  });

  it('stores an alert for a private channel without the bot as waiting and says to invite the app', async () => {
    const res = await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues({ channelId: 'G1SECRET' }) });
    expect(res.body?.response_action).toBe('update');
    expect(textOf(res.body?.view)).toContain('/invite @Flag Alerts');
    const [alert] = await listAlerts(h.app.deps.db, 'T1');
    expect(alert?.status).toBe('waiting');
    expect(alert?.destination).toEqual({ type: 'slack', channelId: 'G1SECRET', channelName: null });
  });

  it('adapts to the scope and destination choices with views.update, keeping typed values', async () => {
    const view = {
      id: 'VMOD',
      type: 'modal',
      hash: 'h-1',
      private_metadata: JSON.stringify({ mode: 'create', channelId: 'C1GENERAL' }),
      state: { values: formValues({ name: 'Typed name', projectId: '55', destination: 'webhook', webhookUrl: 'https://hooks.example.com/x', signingKey: '' }) },
    };
    view.state.values.scope = { scope_choice: state.radio('tag') };
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'scope_choice', container: 'modal', view });
    const update = await h.slack.waitFor('views.update');
    expect(update.args.view_id).toBe('VMOD');
    expect(update.args.hash).toBe('h-1');
    const blocks = (update.args.view as { blocks: { block_id: string; label?: { text: string }; element?: { initial_value?: string } }[] }).blocks;
    expect(blocks.flatMap((b) => (b.label ? [b.label.text] : []))).toEqual([
      'Project',
      'Scope',
      'Tags',
      'Destination',
      'Webhook URL',
      'Signing key',
      'Events',
      'Alert name',
    ]);
    const initial = (id: string) => blocks.find((b) => b.block_id === id)?.element?.initial_value;
    expect(initial('name')).toBe('Typed name');
    expect(initial('project')).toBe('55');
    expect(initial('webhook_url')).toBe('https://hooks.example.com/x');
  });

  it('generates a whsec_ signing key, shown once in a new block', async () => {
    const view = {
      id: 'VMOD',
      type: 'modal',
      hash: 'h-2',
      private_metadata: JSON.stringify({ mode: 'create' }),
      state: { values: formValues({ destination: 'webhook', signingKey: 'typed' }) },
    };
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'generate_key', container: 'modal', view });
    const update = await h.slack.waitFor('views.update');
    const updated = update.args.view as {
      private_metadata: string;
      blocks: { block_id: string; hint?: { text: string }; element?: { initial_value?: string } }[];
    };
    const keyBlock = updated.blocks.find((b) => b.block_id === 'signing_key.1');
    const key = keyBlock?.element?.initial_value ?? '';
    expect(key).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(key.slice(6), 'base64')).toHaveLength(24);
    expect(keyBlock?.hint?.text).toContain('shown only once');

    // submitting with the generated key stores it; errors map onto the new block id
    const meta = JSON.parse(updated.private_metadata) as Record<string, unknown>;
    const short = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1M',
      meta,
      values: formValues({ destination: 'webhook', signingKeyBlock: 'signing_key.1', signingKey: 'x' }),
    });
    expect(Object.keys(short.body?.errors as object)).toEqual(['signing_key.1']);
    const ok = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1M',
      meta,
      values: formValues({ destination: 'webhook', signingKeyBlock: 'signing_key.1', signingKey: key }),
    });
    expect(ok.body).toBeUndefined();
    const [alert] = await listAlerts(h.app.deps.db, 'T1');
    expect(alert && openSigningKey(h.app.deps.box, alert)).toBe(key);
  });

  it('edits an alert through the modal and keeps the signing key when left empty', async () => {
    await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues({ destination: 'webhook', name: 'before' }) });
    const [alert] = await listAlerts(h.app.deps.db, 'T1');
    const id = alert?.id ?? 0;
    await command(h, 'T1', 'U1M', `edit ${id}`);
    const open = await h.slack.waitFor('views.open');
    const view = open.args.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('Edit flag alert');
    expect(textOf(view)).toContain('before');
    expect(textOf(view)).not.toContain('a-very-long-signing-key');
    const meta = JSON.parse(view.private_metadata) as Record<string, unknown>;
    expect(meta).toEqual({ mode: 'edit', alertId: id, hasStoredKey: true });
    const res = await submitModal(h, { teamId: 'T1', userId: 'U1M', meta, values: formValues({ destination: 'webhook', name: 'after', signingKey: '' }) });
    expect(res.body).toBeUndefined();
    const edited = await findAlert(h.app.deps.db, 'T1', id);
    expect(edited?.name).toBe('after');
    expect(edited && openSigningKey(h.app.deps.box, edited)).toBe('a-very-long-signing-key');
  });

  it('refuses a hand-made submission from a viewer and stores nothing', async () => {
    const res = await submitModal(h, { teamId: 'T1', userId: 'U1V', values: formValues({}) });
    expect(res.body?.response_action).toBe('errors');
    expect(String((res.body?.errors as Record<string, string>).name)).toMatch(/Ask an admin \(<@U1>\)/);
    expect(await listAlerts(h.app.deps.db, 'T1')).toEqual([]);
  });

  it("refuses an edit submission for another workspace's alert id", async () => {
    await submitModal(h, { teamId: 'T1', userId: 'U1M', values: formValues({ name: 'T1 alert' }) });
    const [alert] = await listAlerts(h.app.deps.db, 'T1');
    const res = await submitModal(h, {
      teamId: 'T2',
      userId: 'U2',
      meta: { mode: 'edit', alertId: alert?.id },
      values: formValues({ name: 'hijacked', channelId: 'C2OTHER' }),
    });
    expect(res.body?.response_action).toBe('errors');
    expect((await findAlert(h.app.deps.db, 'T1', alert?.id ?? 0))?.name).toBe('T1 alert');
    expect(await listAlerts(h.app.deps.db, 'T2')).toEqual([]);
  });
});
