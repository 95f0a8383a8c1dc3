import { ErrorCode } from '@slack/web-api';

/**
 * Slack's error code (`channel_not_found`, `user_not_found`, …) when a Web API call answered `ok: false`;
 * undefined for HTTP errors, rate limits and network failures, which carry no such code.
 */
export function slackPlatformError(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } } | null;
  return e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
}
