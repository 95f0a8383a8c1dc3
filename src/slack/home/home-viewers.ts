import type { AppDeps } from '../../app-deps.js';

/**
 * Who has opened the Home tab, per organization, and on which page, so every change can republish
 * their tab. Kept in memory: after a restart a tab refreshes the next time its owner opens it.
 */
const viewersByApp = new WeakMap<AppDeps, Map<string, Map<string, number>>>();

function viewersOf(deps: AppDeps, organizationId: string): Map<string, number> {
  let orgs = viewersByApp.get(deps);
  if (!orgs) viewersByApp.set(deps, (orgs = new Map()));
  let viewers = orgs.get(organizationId);
  if (!viewers) orgs.set(organizationId, (viewers = new Map()));
  return viewers;
}

export function rememberHomeViewer(deps: AppDeps, organizationId: string, userId: string, page: number): void {
  viewersOf(deps, organizationId).set(userId, page);
}

export function homeViewers(deps: AppDeps, organizationId: string): { userId: string; page: number }[] {
  return [...viewersOf(deps, organizationId)].map(([userId, page]) => ({ userId, page }));
}

export function homePageOf(deps: AppDeps, organizationId: string, userId: string): number {
  return viewersOf(deps, organizationId).get(userId) ?? 0;
}
