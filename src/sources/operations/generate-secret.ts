import { randomBytes } from 'node:crypto';

/** 32 random bytes for platforms that let the admin choose the secret (it is pasted into the platform). */
export const generateSecret = (): string => randomBytes(32).toString('base64url');
