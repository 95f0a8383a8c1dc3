import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** ENCRYPTION_KEY when set; otherwise the key file under dataDir, generated (with a warning) on first start. */
export function loadEncryptionKey(configured: string | undefined, dataDir: string, logger: Logger): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'base64');
  const file = join(dataDir, 'encryption.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file}: must hold 32 bytes in base64`);
    return key;
  }
  // Owner-only, as the database's folder (it is the same folder unless DATABASE_URL points elsewhere).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  logger.warn({ file }, 'ENCRYPTION_KEY is not set: generated a key file. Back it up, or set ENCRYPTION_KEY; without it stored tokens cannot be read.');
  return key;
}
