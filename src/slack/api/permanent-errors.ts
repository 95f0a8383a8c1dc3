/**
 * Slack errors no retry can fix: the alert is broken until someone acts, and its creator hears what to do.
 * Everything else is retried (by the outbox, the only layer that retries).
 */
const PERMANENT: Record<string, string> = {
  channel_not_found:
    'The channel no longer exists, or it is private and Flag Alerts is not in it. Invite the app with `/invite @Flag Alerts`, or edit the alert to pick another channel.',
  is_archived: 'The channel is archived. Unarchive it, or edit the alert to pick another channel.',
  not_in_channel: 'Flag Alerts is not in the channel. Invite it with `/invite @Flag Alerts`.',
  account_inactive: 'The Slack account that installed Flag Alerts is inactive. Reinstall the app from the settings page.',
  token_revoked: 'Flag Alerts was removed or its token revoked. Reinstall the app from the settings page.',
  invalid_auth: "Slack no longer accepts Flag Alerts' token. Reinstall the app from the settings page.",
  missing_scope: 'Flag Alerts lacks a permission it needs. Reinstall the app from the settings page to grant it.',
};

export function isPermanentSlackError(code: string): boolean {
  return code in PERMANENT;
}

/** What the alert's creator should do about a permanent error. */
export function remedyFor(code: string): string {
  return PERMANENT[code] ?? 'Check the alert in Flag Alerts.';
}

/** Errors after which the bot token is useless: no DM can be sent with it either. */
export function isTokenError(code: string): boolean {
  return code === 'token_revoked' || code === 'invalid_auth' || code === 'account_inactive';
}
