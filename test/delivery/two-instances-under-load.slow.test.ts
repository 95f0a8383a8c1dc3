import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';
import { CountingReceiver, flagChange, postChanges, until, webhookAlertTo } from '../helpers/reliability-helpers.js';

// CI size: 1,000 changes through two instances (not 2,000), split over two projects and two channels.
const CHANGES = 2000;
const postgres = testDialects().filter((d) => d === 'postgres');

describe.each(postgres)('two app instances on one %s database under load', (dialect) => {
  let slack: FakeSlack;
  let receiver: CountingReceiver;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    // Like Slack: more than one post per second per channel gets a 429.
    slack.channelPostIntervalMs = 1000;
    receiver = await new CountingReceiver().start();
    const database = await createTestDatabase(dialect);
    const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') };
    a = await startTestApp({ database, slack, env });
    b = await startTestApp({ database, slack, env });
  });
  afterAll(async () => {
    await a.stop();
    await b.close();
    await receiver.stop();
    await slack.stop();
  });

  it(`sends each of ${CHANGES} changes exactly once per alert and keeps Slack's channel pace across both`, { timeout: 120_000 }, async () => {
    expect((await installWorkspace(a.url, slack, { teamId: 'T1', userId: 'U1' })).status).toBe(302);
    const { key } = await createIngestKey(a.deps.db, { organizationId: 'T1', name: 'load', createdBy: 'test' });
    for (const [projectId, channelId] of [
      [311, 'C311'],
      [312, 'C312'],
    ] as const) {
      await createAlert(a.deps.db, a.deps.box, {
        organizationId: 'T1',
        createdBy: 'U1',
        alert: webhookAlertTo(`${receiver.baseUrl}/p${projectId}`, `hook ${projectId}`, { projectId }),
      });
      await createAlert(a.deps.db, a.deps.box, {
        organizationId: 'T1',
        createdBy: 'U1',
        alert: {
          name: `slack ${projectId}`,
          projectId,
          scope: { type: 'project' },
          actions: ['updated'],
          destination: { type: 'slack', channelId, channelName: `c${projectId}` },
        },
      });
    }
    const keys = Array.from({ length: CHANGES }, (_, i) => `pair-${i}`);
    const events = keys.map((k, i) => flagChange(k, i % 2 === 0 ? 311 : 312));
    // 20 batches of 50, alternating between the instances, a few at a time.
    const batches = Array.from({ length: CHANGES / 50 }, (_, i) => events.slice(i * 50, i * 50 + 50));
    for (let i = 0; i < batches.length; i += 4) {
      const answers = await Promise.all(batches.slice(i, i + 4).map((batch, j) => postChanges((i + j) % 2 === 0 ? a.url : b.url, key, batch)));
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 202));
    }

    await until('every webhook', () => receiver.hits.length >= CHANGES, 30_000);
    const visibleInSlack = (): Set<string> => {
      const text = slack
        .callsOf('chat.postMessage')
        .filter((c) => String(c.args.channel).startsWith('C31'))
        .map((c) => JSON.stringify(c.args.blocks))
        .join('\n');
      // Each change shows its flag key in code style: `pair-1` cannot match `pair-10`.
      return new Set(keys.filter((k) => text.includes(`\`${k}\``)));
    };
    await until(
      'every change in Slack',
      async () => {
        const open = await a.deps.db.selectFrom('deliveries').select('id').where('destination_type', '=', 'slack').where('status', '!=', 'delivered').execute();
        return open.length === 0;
      },
      45_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 300));

    const ids = receiver.hits.map((h) => h.webhookId);
    console.log(
      `[two instances] ${receiver.hits.length} webhook requests, ${new Set(ids).size} distinct webhook-ids; ` +
        `${slack.callsOf('chat.postMessage').length} Slack posts, ${slack.rateLimited} answered 429 by the channel pace`,
    );
    expect(ids).toHaveLength(CHANGES);
    expect(new Set(ids).size).toBe(CHANGES);
    expect(receiver.flagsAt('/p311').size + receiver.flagsAt('/p312').size).toBe(CHANGES);
    expect(slack.rateLimited).toBeLessThanOrEqual(2);
    expect(visibleInSlack().size).toBe(CHANGES);
    const slackRows = await a.deps.db.selectFrom('deliveries').select(['status']).where('destination_type', '=', 'slack').execute();
    expect(slackRows).toHaveLength(CHANGES);
  });
});
