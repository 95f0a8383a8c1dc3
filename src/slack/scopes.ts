/** Bot scopes the product needs; manifest.yml lists the same. */
export const BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'channels:read', 'groups:read', 'users:read', 'im:write'] as const;
