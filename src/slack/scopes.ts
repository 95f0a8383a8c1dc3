/** Bot scopes the product needs; manifest.yml lists the same. users:read.email: email notifications for Slack users. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'im:write',
] as const;
