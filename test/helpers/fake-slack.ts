import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { viewProblems } from './fake-slack-view-limits.js';

/** One Web API call as the fake saw it. */
export interface RecordedCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
  at: number;
  /** what the fake answered (a JSON answer; absent for failures of status or hangs) */
  answer?: Record<string, unknown>;
}

export type Failure =
  { error: string; extra?: Record<string, unknown> } | { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { hangMs: number };

export interface FakeUser {
  id: string;
  teamId: string;
  name?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  deleted?: boolean;
  /** profile.email (default `<id lowercased>@example.com`); shared only with tokens holding users:read.email */
  email?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** whether the bot is a member */
  isMember?: boolean;
  /** teams that can see it (default: every team) */
  teamIds?: string[];
}

/** What oauth.v2.access answers for a code. */
export interface FakeInstall {
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  userId: string;
  /** seconds; when set the bot token rotates (refresh_token grant) */
  expiresIn?: number;
  /** bot scopes granted (default: the app's BOT_SCOPES); an older install lacks some */
  scopes?: string[];
}

interface IssuedToken {
  teamId: string | undefined;
  enterpriseId: string | undefined;
  botUserId: string;
  userId?: string;
  revoked?: boolean;
  scopes?: string[];
}

/**
 * A fake Slack Web API on 127.0.0.1: records every call with its token, answers like Slack for the
 * methods the app uses, and fails on request (ok:false errors, 429 with Retry-After, 5xx, hangs).
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly installs = new Map<string, FakeInstall>();
  readonly tokens = new Map<string, IssuedToken>();
  readonly refreshTokens = new Map<string, string>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly handlers = new Map<string, (args: Record<string, unknown>, token: string | undefined) => Record<string, unknown>>();
  private server: Server | undefined;
  private tsCounter = 1;
  /** per channel: when the last accepted chat.postMessage arrived */
  private readonly lastPostAt = new Map<string, number>();
  /** how many 429s the channel pacing answered */
  rateLimited = 0;
  /**
   * Like Slack's "about one message per second per channel": a chat.postMessage that comes sooner than
   * this after the last accepted one to the same channel gets 429 with Retry-After. Off when 0.
   */
  channelPostIntervalMs = 0;
  /** the clock each call's `at` is read from: the app's test clock when the test moves time */
  now: () => number = Date.now;
  /** base URL to hand to the app as SLACK_API_URL */
  apiUrl = '';
  /** base URL of the fake's own pages: authorize screens */
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(failure);
    this.failures.set(method, list);
  }

  /** Replace the answer of one method. */
  on(method: string, handler: (args: Record<string, unknown>, token: string | undefined) => Record<string, unknown>): void {
    this.handlers.set(method, handler);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until a call of `method` matching `predicate` arrives; fails the test on timeout. */
  async waitFor(method: string, predicate: (c: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && predicate(c));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`fake Slack: no ${method} call arrived within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  /** Makes `code` an authorization code that installs into this team. */
  addInstall(code: string, install: FakeInstall): void {
    this.installs.set(code, install);
    this.addUser({ id: install.userId, teamId: install.teamId, ...this.users.get(install.userId) });
  }

  /** Marks every token of a team revoked: calls with them answer token_revoked. */
  revokeTeamTokens(teamId: string): void {
    for (const t of this.tokens.values()) if (t.teamId === teamId) t.revoked = true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>fake Slack page</p>');
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = await readArgs(req);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const call: RecordedCall = { method, token, args, at: this.now() };
    this.calls.push(call);

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('hangMs' in failure) {
        await new Promise((r) => setTimeout(r, failure.hangMs));
        if (!res.writableEnded && !res.destroyed) res.destroy();
        return;
      }
      if ('status' in failure) {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (failure.status === 429) headers['Retry-After'] = String(failure.retryAfter);
        res.writeHead(failure.status, headers).end(JSON.stringify({ ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }));
        return;
      }
      return send(res, (call.answer = { ok: false, error: failure.error, ...failure.extra }));
    }
    if (method === 'chat.postMessage' && this.channelPostIntervalMs > 0 && this.pacedOut(String(args.channel), res)) return;
    const custom = this.handlers.get(method);
    call.answer = custom ? custom(args, token) : this.answer(method, args, token);
    return send(res, call.answer);
  }

  private pacedOut(channel: string, res: ServerResponse): boolean {
    const now = Date.now();
    const last = this.lastPostAt.get(channel);
    if (last !== undefined && now - last < this.channelPostIntervalMs) {
      this.rateLimited += 1;
      const retryAfter = Math.max(1, Math.ceil((this.channelPostIntervalMs - (now - last)) / 1000));
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return true;
    }
    this.lastPostAt.set(channel, now);
    return false;
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    if (method === 'openid.connect.token' || method === 'openid.connect.userInfo') return this.openid(method, args, token);
    const issued = token ? this.tokens.get(token) : undefined;
    if (!issued) return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
    if (issued.revoked) return { ok: false, error: 'token_revoked' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: issued.teamId,
          team_id: issued.teamId,
          enterprise_id: issued.enterpriseId,
          user_id: issued.botUserId,
          bot_id: `B${issued.botUserId}`,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return { ok: true, channel: args.channel, ts: this.nextTs(), message: { text: args.text, blocks: args.blocks } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        // Like Slack: a view over any limit is refused whole.
        const problems = viewProblems(parseJson(args.view));
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: { id: `V${randomBytes(4).toString('hex')}`, hash: randomBytes(4).toString('hex'), ...parseJson(args.view) } };
      }
      case 'conversations.info':
        return this.conversationInfo(String(args.channel), issued);
      case 'conversations.open':
        return { ok: true, channel: { id: `D${(typeof args.users === 'string' ? args.users : '').split(',')[0]}` } };
      case 'users.info':
        return this.userInfo(String(args.user), issued);
      default:
        return { ok: true };
    }
  }

  private oauthAccess(args: Record<string, unknown>): Record<string, unknown> {
    if (args.grant_type === 'refresh_token') {
      const old = this.refreshTokens.get(String(args.refresh_token));
      const issued = old ? this.tokens.get(old) : undefined;
      if (!old || !issued) return { ok: false, error: 'invalid_refresh_token' };
      issued.revoked = true;
      const token = this.issue({ ...issued, revoked: false });
      const refresh = `xoxe-1-${randomBytes(8).toString('hex')}`;
      this.refreshTokens.set(refresh, token);
      return {
        ok: true,
        access_token: token,
        refresh_token: refresh,
        expires_in: 43200,
        token_type: 'bot',
        scope: 'commands,chat:write',
        bot_user_id: issued.botUserId,
        team: { id: issued.teamId },
        enterprise: null,
      };
    }
    const install = this.installs.get(String(args.code));
    if (!install) return { ok: false, error: 'invalid_code' };
    this.installs.delete(String(args.code));
    const botUserId = `UBOT${install.teamId}`;
    const scopes = install.scopes ?? [...BOT_SCOPES];
    const token = this.issue({ teamId: install.isEnterpriseInstall ? undefined : install.teamId, enterpriseId: install.enterpriseId, botUserId, scopes });
    const answer: Record<string, unknown> = {
      ok: true,
      app_id: 'AFAKEAPP',
      access_token: token,
      token_type: 'bot',
      scope: scopes.join(','),
      bot_user_id: botUserId,
      team: install.isEnterpriseInstall ? null : { id: install.teamId, name: install.teamName ?? install.teamId },
      enterprise: install.enterpriseId ? { id: install.enterpriseId, name: install.enterpriseId } : null,
      is_enterprise_install: install.isEnterpriseInstall ?? false,
      authed_user: { id: install.userId },
    };
    if (install.expiresIn) {
      const refresh = `xoxe-1-${randomBytes(8).toString('hex')}`;
      this.refreshTokens.set(refresh, token);
      answer.refresh_token = refresh;
      answer.expires_in = install.expiresIn;
    }
    return answer;
  }

  private openid(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (method === 'openid.connect.token') {
      const install = this.installs.get(`openid:${String(args.code)}`);
      if (!install) return { ok: false, error: 'invalid_code' };
      this.installs.delete(`openid:${String(args.code)}`);
      const userToken = `xoxp-${randomBytes(8).toString('hex')}`;
      this.tokens.set(userToken, { teamId: install.teamId, enterpriseId: install.enterpriseId, botUserId: '', userId: install.userId });
      return { ok: true, access_token: userToken, token_type: 'Bearer', id_token: 'fake.id.token' };
    }
    const issued = token ? this.tokens.get(token) : undefined;
    if (!issued?.userId) return { ok: false, error: 'invalid_auth' };
    const user = this.users.get(issued.userId);
    return {
      ok: true,
      sub: issued.userId,
      'https://slack.com/user_id': issued.userId,
      'https://slack.com/team_id': issued.teamId,
      name: user?.name ?? issued.userId,
      email: `${issued.userId.toLowerCase()}@example.com`,
    };
  }

  /** Queue a "Sign in with Slack" code for this user. */
  addOpenIdCode(code: string, install: FakeInstall): void {
    this.installs.set(`openid:${code}`, install);
    this.addUser({ id: install.userId, teamId: install.teamId, ...this.users.get(install.userId) });
  }

  private conversationInfo(channelId: string, issued: IssuedToken): Record<string, unknown> {
    const ch = this.channels.get(channelId);
    if (!ch || (ch.teamIds && issued.teamId && !ch.teamIds.includes(issued.teamId))) return { ok: false, error: 'channel_not_found' };
    if (ch.isPrivate && !ch.isMember) return { ok: false, error: 'channel_not_found' };
    return {
      ok: true,
      channel: {
        id: ch.id,
        name: ch.name,
        is_private: ch.isPrivate ?? false,
        is_member: ch.isMember ?? false,
        is_channel: !ch.isPrivate,
        is_group: ch.isPrivate ?? false,
      },
    };
  }

  private userInfo(userId: string, issued: IssuedToken): Record<string, unknown> {
    const u = this.users.get(userId);
    if (!u) return { ok: false, error: 'user_not_found' };
    // Like Slack: profile.email only for tokens with users:read.email (user tokens here carry no scope list).
    const email = !issued.scopes || issued.scopes.includes('users:read.email') ? { email: u.email ?? `${u.id.toLowerCase()}@example.com` } : {};
    return {
      ok: true,
      user: {
        id: u.id,
        team_id: u.teamId,
        name: u.name ?? u.id,
        real_name: u.name ?? u.id,
        deleted: u.deleted ?? false,
        is_admin: u.isAdmin ?? false,
        is_owner: u.isOwner ?? false,
        is_restricted: u.isRestricted ?? false,
        is_ultra_restricted: u.isUltraRestricted ?? false,
        profile: { display_name: u.name ?? u.id, real_name: u.name ?? u.id, ...email },
      },
    };
  }

  private issue(t: IssuedToken): string {
    const token = `xoxb-${t.teamId ?? t.enterpriseId}-${randomBytes(10).toString('hex')}`;
    this.tokens.set(token, t);
    return token;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

function send(res: ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const args: Record<string, unknown> = {};
  const url = new URL(req.url ?? '/', 'http://x');
  url.searchParams.forEach((v, k) => (args[k] = v));
  if (!raw) return args;
  if ((req.headers['content-type'] ?? '').includes('application/json')) return { ...args, ...(JSON.parse(raw) as Record<string, unknown>) };
  new URLSearchParams(raw).forEach((v, k) => (args[k] = v));
  // The WebClient sends objects (blocks, view) as JSON strings inside the form.
  for (const key of ['blocks', 'view', 'attachments']) if (typeof args[key] === 'string') args[key] = parseJson(args[key]);
  // oauth.v2.access may authenticate with HTTP Basic.
  const basic = req.headers.authorization;
  if (basic?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(basic.slice(6), 'base64').toString().split(':');
    args.client_id ??= id;
    args.client_secret ??= secret;
  }
  return args;
}

function parseJson(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return (value ?? {}) as Record<string, unknown>;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    return {};
  }
}
