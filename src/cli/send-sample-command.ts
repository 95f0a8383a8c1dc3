import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { listAlerts } from '../alerts/alerts.repository.js';
import { createCatalogMemo } from '../catalog/catalog-memo.js';
import { countPendingDeliveries } from '../delivery/deliveries.repository.js';
import { idleOutbox } from '../delivery/outbox-port.js';
import type { FlagEvent, FlagId } from '../flag-change/model.js';
import { createFlagEventCommits, ingestFlagEvents, type IngestDeps } from '../ingest/ingest-flag-events.js';
import { createLogger } from '../logging/logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { openDatabase } from '../storage/database.js';
import type { Output } from './output.js';

export const SEND_SAMPLE_USAGE = `  send-sample --team <TEAM_ID>                         queue a sample flag change for every project with alerts`;

/**
 * `flag-alerts send-sample --team T`: one sample change per project with alerts, touching every deployment and
 * tag those alerts watch, accepted through the same ingestion as the HTTP API. The running server sends it.
 */
export async function sendSampleCommand(args: string[], config: Config, io: Output): Promise<number> {
  let team: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { team: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
    if (values.help) {
      io.out(`usage:\n${SEND_SAMPLE_USAGE}`);
      return 0;
    }
    team = values.team;
  } catch (error) {
    io.err(`flag-alerts send-sample: ${(error as Error).message}\nusage:\n${SEND_SAMPLE_USAGE}`);
    return 2;
  }
  if (!team) {
    io.err(`flag-alerts send-sample: --team is required\nusage:\n${SEND_SAMPLE_USAGE}`);
    return 2;
  }
  const logger = createLogger('silent');
  const handle = openDatabase(config.databaseUrl);
  try {
    if (!(await findOrganization(handle.db, team))) {
      io.err(`flag-alerts send-sample: no organization ${team} (install the app or create an ingest key first)`);
      return 1;
    }
    // Only ingestion, and no worker in this process: the running server's worker picks the rows up.
    const deps: IngestDeps = {
      db: handle.db,
      dialect: handle.dialect,
      logger,
      outbox: idleOutbox,
      metrics: createMetrics(),
      now: Date.now,
      catalogMemo: createCatalogMemo(),
      flagEventCommits: createFlagEventCommits(),
    };
    const events = sampleEvents(await listAlerts(handle.db, team));
    const { accepted } = await ingestFlagEvents(deps, team, events);
    const queued = await countPendingDeliveries(handle.db, team);
    io.out(
      `queued ${accepted} sample change(s) for ${team} (projects ${events.map((e) => e.projectId).join(', ')}); ${queued} delivery(ies) pending — the running server sends them.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

function sampleEvents(alerts: Awaited<ReturnType<typeof listAlerts>>): FlagEvent[] {
  const projects = new Map<FlagId, { deployments: Map<FlagId, string>; tags: Set<string> }>();
  for (const alert of alerts) {
    const p = projects.get(alert.projectId) ?? { deployments: new Map<FlagId, string>(), tags: new Set<string>() };
    if (alert.scope.type === 'deployment') p.deployments.set(alert.scope.deploymentId, alert.scope.deploymentLabel ?? `deployment ${alert.scope.deploymentId}`);
    if (alert.scope.type === 'tag') alert.scope.tags.forEach((t) => p.tags.add(t));
    projects.set(alert.projectId, p);
  }
  if (projects.size === 0) projects.set(1, { deployments: new Map(), tags: new Set() });
  const stamp = Date.now();
  return [...projects].map(([projectId, p]) => {
    const flag = {
      id: 0,
      key: 'flag-alerts-sample',
      name: 'Flag Alerts sample flag',
      description: 'A sample change from `flag-alerts send-sample`',
      deployments: [...p.deployments].map(([id, label]) => ({ id, label })),
      tags: [...p.tags],
      enabled: true,
    };
    return {
      eventId: `sample-${projectId}-${stamp}`,
      projectId,
      projectName: `Project ${projectId}`,
      action: 'updated' as const,
      modifiedBy: 'flag-alerts send-sample',
      flag: { ...flag, rolloutPercentage: 50 },
      oldFlag: { ...flag, rolloutPercentage: 10 },
    };
  });
}
