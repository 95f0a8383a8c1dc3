import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';
import { testDialects } from '../helpers/test-database.js';

describe.each(testDialects())('npx flag-alerts send-sample on %s', (dialect) => {
  let cli: CliHarness;
  let handle: DatabaseHandle;
  const encryptionKey = randomBytes(32);
  const run = (...argv: string[]) => cli.run(...argv);

  beforeEach(async () => {
    cli = await cliHarness(dialect, encryptionKey);
    handle = cli.handle;
  });
  afterEach(() => cli.close());

  it('queues one sample change per project with alerts, through ingestion, for that team only', async () => {
    await upsertOrganization(handle.db, { id: 'T1', name: 'One', enterpriseId: null });
    await upsertOrganization(handle.db, { id: 'T2', name: 'Two', enterpriseId: null });
    const box = createSecretBox(encryptionKey);
    const slackAlert = (organizationId: string, projectId: number) =>
      createAlert(handle.db, box, {
        organizationId,
        createdBy: 'U1',
        alert: {
          name: `p${projectId}`,
          projectId,
          scope: { type: 'project' },
          actions: ['created', 'updated', 'deleted'],
          destination: { type: 'slack', channelId: 'C1', channelName: 'alerts' },
        },
      });
    await slackAlert('T1', 311);
    await slackAlert('T1', 312);
    await slackAlert('T2', 999);

    const { code, out, err } = await run('send-sample', '--team', 'T1');
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join('\n')).toContain('queued 2 sample change(s) for T1');

    const deliveries = await handle.db.selectFrom('deliveries').select(['organization_id', 'status', 'kind']).execute();
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d) => d.organization_id === 'T1' && d.status === 'pending' && d.kind === 'change')).toBe(true);
    const events = await handle.db.selectFrom('flag_events').select(['organization_id', 'project_id']).orderBy('project_id').execute();
    expect(events.map((e) => [e.organization_id, Number(e.project_id)])).toEqual([
      ['T1', 311],
      ['T1', 312],
    ]);
  });

  it('answers an unknown team or a missing --team clearly and queues nothing', async () => {
    expect((await run('send-sample')).code).toBe(2);
    const unknown = await run('send-sample', '--team', 'TNOPE');
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toContain('no organization TNOPE');
    expect(await handle.db.selectFrom('deliveries').selectAll().execute()).toHaveLength(0);
  });
});
