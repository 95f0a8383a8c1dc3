import type { Request, Response } from 'express';
import type { AppDeps } from '../../app-deps.js';
import type { AlertOperationsDeps } from '../../alerts/operations/deps.js';
import type { Requester } from '../../alerts/operations/outcome.js';
import type { SourceOperationsDeps } from '../../sources/operations/deps.js';
import { findOrganization, type Organization } from '../../organizations/organizations.repository.js';
import { roleOf } from '../../roles/role-of.js';
import type { Role } from '../../roles/roles.js';
import { sessionIsLive } from '../../settings-auth/session-records.js';
import { cookieHeader, readCookie, SESSION_COOKIE, SESSION_TTL_MS, type Session, type SessionCodec } from '../../settings-auth/session.js';
import type { HeaderState } from '../views/layout.js';
import { messageView } from '../views/sign-in-view.js';

/** What every settings route is handed. */
export interface SettingsContext {
  deps: AppDeps;
  /** what the alert routes hand the alert operations (the same as the Slack listeners get) */
  alertOps: AlertOperationsDeps;
  /** what the sources page hands the source operations (the same as the CLI gets) */
  sourceOps: SourceOperationsDeps;
  sessions: SessionCodec;
}

/** The signed-in person, with the organization they manage and their role there (read fresh on every request). */
export interface Viewer {
  session: Session;
  org: Organization | undefined;
  role: Role;
  /** who to record as creator: the Slack user id, or "operator" */
  actor: string;
  csrf: string;
}

export async function viewerOf(ctx: SettingsContext, req: Request): Promise<Viewer | undefined> {
  const session = ctx.sessions.decode(readCookie(req.headers.cookie, SESSION_COOKIE), ctx.deps.now());
  // The signature says the cookie is ours; the record says it was not signed out or ended since.
  if (!session || !(await sessionIsLive(ctx.deps, session, ctx.deps.now()))) return undefined;
  const org = session.org ? await findOrganization(ctx.deps.db, session.org) : undefined;
  let role: Role = 'none';
  if (session.kind === 'operator') role = org ? 'admin' : 'none';
  else if (org && session.user) role = await roleOf(ctx.deps, org.id, session.user);
  return { session, org, role, actor: session.kind === 'operator' ? 'operator' : (session.user ?? 'unknown'), csrf: ctx.sessions.csrfToken(session) };
}

export function headerOf(v: Viewer): HeaderState {
  return {
    who: v.session.kind === 'operator' ? 'Operator' : (v.session.name ?? v.session.user ?? ''),
    orgName: v.org?.name,
    role: v.org ? v.role : undefined,
    csrf: v.csrf,
    canSwitch: v.session.kind === 'operator',
  };
}

export function setSession(ctx: SettingsContext, req: Request, res: Response, session: Session): void {
  res.append('Set-Cookie', cookieHeader(SESSION_COOKIE, ctx.sessions.encode(session), { maxAgeMs: SESSION_TTL_MS, secure: isSecure(ctx, req) }));
}

export function clearSession(ctx: SettingsContext, req: Request, res: Response): void {
  res.append('Set-Cookie', cookieHeader(SESSION_COOKIE, '', { maxAgeMs: 0, secure: isSecure(ctx, req) }));
}

function isSecure(ctx: SettingsContext, req: Request): boolean {
  return req.secure || ctx.deps.config.publicUrl.startsWith('https://');
}

export function refuse(res: Response, status: 400 | 403 | 404, text: string): void {
  const title = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Cannot do that';
  res
    .status(status)
    .type('html')
    .send(messageView(title, text, { href: '/settings', label: 'Back to settings' }));
}

/**
 * Every POST goes through here: a session, the CSRF token tied to it, an organization and a role that
 * may do this. Anything else is refused with 403 before anything changes; the page's hidden buttons are
 * only a convenience.
 */
export async function authorizePost(
  ctx: SettingsContext,
  req: Request,
  res: Response,
  allowed: (role: Role) => boolean,
): Promise<(Viewer & { org: Organization }) | undefined> {
  const viewer = await viewerOf(ctx, req);
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!viewer || !ctx.sessions.checkCsrf(viewer.session, body._csrf)) {
    refuse(res, 403, 'This form expired or did not come from this page. Reload the page and try again.');
    return undefined;
  }
  if (!viewer.org || !allowed(viewer.role)) {
    refuse(res, 403, 'Your role does not allow this.');
    return undefined;
  }
  return { ...viewer, org: viewer.org };
}

/** Who a settings request acts as, for the alert operations: the operation decides what the role allows. */
export function requesterOf(viewer: Viewer & { org: Organization }): Requester {
  return { organizationId: viewer.org.id, actor: viewer.actor, role: viewer.role };
}

/** For pages: the signed-in viewer with an organization, or a redirect to where they go next. */
export async function requireOrgViewer(ctx: SettingsContext, req: Request, res: Response): Promise<(Viewer & { org: Organization }) | undefined> {
  const viewer = await viewerOf(ctx, req);
  if (!viewer) {
    res.redirect(303, '/settings');
    return undefined;
  }
  if (!viewer.org) {
    res.redirect(303, viewer.session.kind === 'operator' ? '/settings/organizations' : '/settings');
    return undefined;
  }
  if (viewer.role === 'none') {
    refuse(res, 403, 'You have no role in this workspace. Ask an admin for one.');
    return undefined;
  }
  return { ...viewer, org: viewer.org };
}

export function bodyText(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** A positive integer route parameter, or undefined. */
export function idParam(req: Request, name = 'id'): number | undefined {
  const raw = req.params[name];
  return typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;
}
