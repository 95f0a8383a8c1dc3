import { createHmac } from 'node:crypto';

/** Slack's request signature (v0) over "v0:<timestamp>:<body>", the way Slack signs what it sends us. */
export function slackSignature(signingSecret: string, body: string, timestampSeconds: number): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  signingSecret: string;
  /** override the timestamp (seconds), e.g. to send a stale request */
  timestamp?: number;
  /** send this signature instead of the right one */
  signature?: string;
  /** more headers, e.g. X-Slack-Retry-Num on a retried event */
  headers?: Record<string, string>;
}

async function postSigned(url: string, body: string, contentType: string, opts: SignedPostOptions): Promise<Response> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': opts.signature ?? slackSignature(opts.signingSecret, body, ts),
      ...opts.headers,
    },
    body,
  });
}

export interface CommandInput {
  teamId: string;
  userId: string;
  text?: string;
  channelId?: string;
  channelName?: string;
  enterpriseId?: string;
  triggerId?: string;
  command?: string;
  responseUrl?: string;
}

/** A slash command as Slack sends it (form-encoded). */
export function sendCommand(baseUrl: string, input: CommandInput, opts: SignedPostOptions): Promise<Response> {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: input.teamId,
    team_domain: input.teamId.toLowerCase(),
    channel_id: input.channelId ?? 'C0GENERAL',
    channel_name: input.channelName ?? 'general',
    user_id: input.userId,
    user_name: input.userId.toLowerCase(),
    command: input.command ?? '/flag-alert',
    text: input.text ?? '',
    api_app_id: 'AFAKEAPP',
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? 'http://127.0.0.1:9/response',
    // Unique like Slack's: two identical signed requests are one request replayed, and the second is ignored.
    trigger_id: input.triggerId ?? `trigger-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  if (input.enterpriseId) form.set('enterprise_id', input.enterpriseId);
  return postSigned(`${baseUrl}/slack/events`, form.toString(), 'application/x-www-form-urlencoded', opts);
}

/** An interactivity payload (block_actions, view_submission, …) as Slack sends it. */
export function sendInteraction(baseUrl: string, payload: Record<string, unknown>, opts: SignedPostOptions): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(`${baseUrl}/slack/events`, body, 'application/x-www-form-urlencoded', opts);
}

/** An Events API event_callback for a team. */
export function sendEvent(
  baseUrl: string,
  input: { teamId: string; enterpriseId?: string; event: Record<string, unknown>; isEnterpriseInstall?: boolean; eventId?: string },
  opts: SignedPostOptions,
): Promise<Response> {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: input.teamId,
    enterprise_id: input.enterpriseId,
    api_app_id: 'AFAKEAPP',
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${Date.now()}${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    is_ext_shared_channel: false,
    is_enterprise_install: input.isEnterpriseInstall ?? false,
    authorizations: [
      {
        team_id: input.teamId,
        enterprise_id: input.enterpriseId ?? null,
        user_id: `UBOT${input.teamId}`,
        is_bot: true,
        is_enterprise_install: input.isEnterpriseInstall ?? false,
      },
    ],
    event: input.event,
  });
  return postSigned(`${baseUrl}/slack/events`, body, 'application/json', opts);
}

export interface ButtonClick {
  teamId: string;
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  /** where the button was: a message in a channel, or a view (Home tab or modal) */
  container: { type: 'message'; channelId: string; ephemeral?: boolean } | { type: 'view'; view: Record<string, unknown> };
  responseUrl?: string;
}

/** A block_actions payload for one button click, shaped like Slack's. */
export function buttonClickPayload(input: ButtonClick): Record<string, unknown> {
  const where =
    input.container.type === 'message'
      ? {
          container: { type: 'message', message_ts: '1.1', channel_id: input.container.channelId, is_ephemeral: input.container.ephemeral ?? false },
          channel: { id: input.container.channelId },
          message: { ts: '1.1', text: '' },
        }
      : { container: { type: 'view', view_id: typeof input.container.view.id === 'string' ? input.container.view.id : 'V1' }, view: input.container.view };
  return {
    type: 'block_actions',
    team: { id: input.teamId, domain: input.teamId.toLowerCase() },
    user: { id: input.userId, team_id: input.teamId, name: input.userId.toLowerCase() },
    api_app_id: 'AFAKEAPP',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    is_enterprise_install: false,
    response_url: input.responseUrl ?? 'http://127.0.0.1:9/response',
    actions: [{ type: 'button', action_id: input.actionId, block_id: input.blockId ?? 'b', value: input.value ?? '', action_ts: '1.2' }],
    ...where,
  };
}
