import type { AppDeps } from '../../app-deps.js';
import type { Alert } from '../../alerts/alert.js';
import { checkChannelAccess } from '../api/channel-access.js';

const TTL_MS = 30_000;

/** Channel names by organization and channel; owned by the composition root, one per running app. */
export interface ChannelNameCache {
  readonly byChannel: Map<string, { name: string | null; at: number }>;
}

export function createChannelNameCache(): ChannelNameCache {
  return { byChannel: new Map() };
}

/**
 * The names of the alerts' channels that may be shown to anyone in the workspace: public channels the
 * workspace's bot can see. Private channels and channels the bot cannot see stay by ID (null here).
 */
export async function visibleChannelNames(
  deps: Pick<AppDeps, 'slack' | 'logger' | 'now' | 'channelNames'>,
  organizationId: string,
  alerts: Alert[],
): Promise<Map<string, string | null>> {
  const cache = deps.channelNames.byChannel;
  const ids = [...new Set(alerts.flatMap((a) => (a.destination.type === 'slack' ? [a.destination.channelId] : [])))];
  const out = new Map<string, string | null>();
  await Promise.all(
    ids.map(async (id) => {
      const key = `${organizationId}:${id}`;
      const hit = cache.get(key);
      if (hit && deps.now() - hit.at < TTL_MS) {
        out.set(id, hit.name);
        return;
      }
      const access = await checkChannelAccess(deps, organizationId, id);
      const name = access.visible && !access.isPrivate ? access.channelName : null;
      cache.set(key, { name, at: deps.now() });
      out.set(id, name);
    }),
  );
  return out;
}
