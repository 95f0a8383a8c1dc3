import type { Express } from 'express';

/** `/` is where people land first: the settings page, not "Cannot GET /". */
export function registerRoot(http: Express): void {
  http.get('/', (_req, res) => res.redirect(302, '/settings'));
}
