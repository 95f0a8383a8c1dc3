import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import type { AlertScope, NewAlert } from '../../src/alerts/alert.js';
import type { FlagId, FlagSnapshot } from '../../src/flag-change/model.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { PushSourceKind } from '../../src/sources/source-kind.js';
import { createSource, listSources, type SourceSummary } from '../../src/sources/sources.repository.js';
import { SIGNING_KEY } from '../helpers/delivery-fixtures.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { textsOf } from '../helpers/formatting-fixtures.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * One platform's webhooks through the real route `POST /api/v1/sources/<id>` of a running app, out to a fake Slack
 * and to webhook receivers that verify our signatures. One app per test file; tests keep apart by flag key.
 */

const ORGANIZATION = 'T1';
export const WATCHED_CHANNEL = 'CWATCHED';

export interface Environment {
  id: string;
  label: string;
}

/** What an alert watches: an environment of a project (a deployment-scoped alert), or with none the whole project. */
export interface Watch {
  projectId: FlagId;
  environment: Environment | null;
}

/** The platform's signing scheme, written out by the test (never the source's own verify): headers for a raw body. */
export type Signer = (rawBody: Buffer, secret: string, nowMs: number) => Record<string, string>;

export interface Platform {
  kind: PushSourceKind;
  secret: string;
  /** the Slack alert and one webhook alert watch this (the "production" of the platform's samples) */
  watched: Watch;
  /** a webhook alert watches this: another environment of the project (or, for a platform without any, another project) */
  other: Watch;
  sign: Signer;
}

export interface StoredCounts {
  flagEvents: number;
  deliveries: number;
  receipts: number;
}

export interface EndToEnd {
  readonly app: TestApp;
  readonly clock: TestClock;
  readonly sourceId: string;
  /** JSON of the body (a string is taken as the raw body), signed with the source's secret now, and posted */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** the raw body with exactly these headers (and Content-Type), not signed */
  send(rawBody: string, headers: Record<string, string>): Promise<Response>;
  /** the platform's headers for a raw body, with the source's secret (or another) on the app's clock (or another time) */
  sign(rawBody: string, secret?: string, nowMs?: number): Record<string, string>;
  /** the text (fallback and every block text) of each message the watched channel got about this flag */
  slackMessages(flagKey: string): string[];
  waitForSlack(flagKey: string, count?: number): Promise<string[]>;
  /** the bodies a webhook alert got about this flag: the watched one's, or the other one's */
  webhooks(flagKey: string, which?: 'watched' | 'other'): Record<string, unknown>[];
  waitForWebhooks(flagKey: string, which?: 'watched' | 'other', count?: number): Promise<Record<string, unknown>[]>;
  /** waits until every queued delivery went out (or failed for good): after it, what was not received never will be */
  settled(): Promise<void>;
  /** one more webhook alert, posting to the watched or the other receiver, for a test that needs another scope */
  addWebhookAlert(name: string, watch: Watch, to: 'watched' | 'other'): Promise<void>;
  /** the alerts this flag's changes were queued for, by name (`other-hook`, `watched-hook`, `watched-slack`…), sorted */
  deliveriesOf(flagKey: string): Promise<string[]>;
  counts(): Promise<StoredCounts>;
  source(): Promise<SourceSummary>;
}

/** Starts the app, the fake Slack and the receivers once for the file (beforeAll), with a source and its three alerts. */
export function endToEnd(platform: Platform): EndToEnd {
  const clock = createTestClock();
  let app: TestApp | undefined;
  let slack: FakeSlack | undefined;
  let sourceId = '';
  const receivers = { watched: new WebhookReceiver(SIGNING_KEY), other: new WebhookReceiver(SIGNING_KEY) };
  const alertNames = new Map<number, string>();
  const running = (): TestApp => {
    if (!app) throw new Error('the end-to-end app is started in beforeAll');
    return app;
  };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    slack.now = clock.now;
    await receivers.watched.start();
    await receivers.other.start();
    app = await startTestApp({ slack, now: clock.now, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await installWorkspace(app.url, slack, { teamId: ORGANIZATION, userId: 'U1' });
    const known = await app.deps.db.selectFrom('organizations').select('id').where('id', '=', ORGANIZATION).executeTakeFirst();
    if (!known) await upsertOrganization(app.deps.db, { id: ORGANIZATION, name: 'Acme', enterpriseId: null });
    sourceId = (
      await createSource(
        app.deps.db,
        app.deps.box,
        { organizationId: ORGANIZATION, kind: platform.kind, name: platform.kind, secret: platform.secret },
        clock.now(),
      )
    ).id;
    await addAlert('watched-slack', platform.watched, { type: 'slack', channelId: WATCHED_CHANNEL, channelName: 'flags' });
    await addAlert('watched-hook', platform.watched, { type: 'webhook', url: receivers.watched.url, signingKey: SIGNING_KEY });
    await addAlert('other-hook', platform.other, { type: 'webhook', url: receivers.other.url, signingKey: SIGNING_KEY });
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.stop();
    await receivers.watched.stop();
    await receivers.other.stop();
  });

  const addAlert = async (name: string, watch: Watch, destination: NewAlert['destination']) => {
    const alert = await createAlert(running().deps.db, running().deps.box, {
      organizationId: ORGANIZATION,
      createdBy: 'U1',
      alert: { name, projectId: watch.projectId, scope: scopeOf(watch), actions: ['created', 'updated', 'deleted'], destination },
    });
    alertNames.set(alert.id, name);
  };
  const sign = (rawBody: string, secret = platform.secret, nowMs = clock.now()) => platform.sign(Buffer.from(rawBody, 'utf8'), secret, nowMs);
  const settled = async () => {
    const db = running().deps.db;
    const unfinished = async () =>
      (await db.selectFrom('deliveries').select(['id', 'status']).execute()).filter((d) => d.status === 'pending' || d.status === 'in_flight');
    await expect.poll(unfinished, { timeout: 10_000 }).toEqual([]);
  };
  const send = async (rawBody: string, headers: Record<string, string>) => {
    // The watched channel takes one post per slot (1.1 s on the app's clock, counted from when the last post was
    // recorded): once every earlier delivery is done, the clock moves past that slot, so this one goes at once.
    await settled();
    clock.advance(1500);
    return fetch(`${running().url}/api/v1/sources/${sourceId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody });
  };
  const slackMessages = (flagKey: string) =>
    (slack?.callsOf('chat.postMessage') ?? [])
      .filter((call) => call.args.channel === WATCHED_CHANNEL && String(call.args.text).includes(`\`${flagKey}\``))
      .map((call) => [String(call.args.text), ...textsOf(call.args.blocks).map((piece) => piece.text)].join('\n'));
  const webhooks = (flagKey: string, which: 'watched' | 'other' = 'watched') =>
    receivers[which].received
      .filter((hook) => hook.body.flagName === flagKey)
      .map((hook) => {
        // Every webhook must verify as our receivers' customers verify it.
        expect({ knock: hook.knockValid, standard: hook.standardValid }).toEqual({ knock: true, standard: true });
        return hook.body;
      });

  return {
    get app() {
      return running();
    },
    clock,
    get sourceId() {
      return sourceId;
    },
    post: (body, headers = {}) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      return send(raw, { ...sign(raw), ...headers });
    },
    send,
    sign,
    slackMessages,
    async waitForSlack(flagKey, count = 1) {
      await expect.poll(() => slackMessages(flagKey).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
      return slackMessages(flagKey);
    },
    webhooks,
    async waitForWebhooks(flagKey, which = 'watched', count = 1) {
      await expect.poll(() => webhooks(flagKey, which).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
      return webhooks(flagKey, which);
    },
    settled,
    addWebhookAlert: (name, watch, to) => addAlert(name, watch, { type: 'webhook', url: receivers[to].url, signingKey: SIGNING_KEY }),
    async deliveriesOf(flagKey) {
      const rows = await running()
        .deps.db.selectFrom('deliveries')
        .innerJoin('flag_events', 'flag_events.id', 'deliveries.flag_event_id')
        .select(['deliveries.alert_id', 'flag_events.payload'])
        .orderBy('deliveries.id')
        .execute();
      return rows
        .filter((row) => keyOf(row.payload) === flagKey)
        .map((row) => alertNames.get(row.alert_id) ?? String(row.alert_id))
        .sort();
    },
    async counts() {
      const db = running().deps.db;
      const count = async (table: 'flag_events' | 'deliveries' | 'source_receipts') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return { flagEvents: await count('flag_events'), deliveries: await count('deliveries'), receipts: await count('source_receipts') };
    },
    async source() {
      const [summary] = (await listSources(running().deps.db, ORGANIZATION)).filter((s) => s.id === sourceId);
      if (!summary) throw new Error('the end-to-end source is gone');
      return summary;
    },
  };
}

function scopeOf(watch: Watch): AlertScope {
  return watch.environment ? { type: 'deployment', deploymentId: watch.environment.id, deploymentLabel: watch.environment.label } : { type: 'project' };
}

/** What the webhook body of an alert watching this says of its scope (contract section 4). */
export function webhookScope(watch: Watch): Record<string, unknown> {
  return watch.environment
    ? { scope: 'exp_deployment', scopeParam: watch.environment.id, scopeParamName: watch.environment.label }
    : { scope: 'project', scopeParam: watch.projectId };
}

/** A vendor fixture's body: test/sources/<platform>/fixtures/<name>.json, whose `source` field names where it was copied from. */
export function fixtureBody(platform: string, name: string): Record<string, unknown> {
  const file = JSON.parse(readFileSync(new URL(`./${platform}/fixtures/${name}.json`, import.meta.url), 'utf8')) as { body: Record<string, unknown> };
  return file.body;
}

/** The fixture about another flag: every occurrence of the fixture's flag key replaced, so each test has a flag of its own. */
export function withFlagKey<T>(body: T, fixtureKey: string, flagKey: string): T {
  return JSON.parse(JSON.stringify(body).split(fixtureKey).join(flagKey)) as T;
}

function keyOf(payload: string): string | undefined {
  const event = JSON.parse(payload) as { flag?: FlagSnapshot | null; oldFlag?: FlagSnapshot | null };
  return (event.flag ?? event.oldFlag)?.key;
}
