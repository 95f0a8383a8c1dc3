import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createSourceRegistry } from '../../src/sources/registry.js';
import type { PushSource } from '../../src/sources/source-kind.js';
import type { DatabaseHandle, Dialect } from '../../src/storage/database.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface CliHarness {
  database: TestDatabase;
  /** our own handle on the CLI's database, to arrange and check rows */
  handle: DatabaseHandle;
  config: Config;
  /** runs `flag-alerts <argv>` as the CLI would, capturing what it prints */
  run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }>;
  close(): Promise<void>;
}

/** A migrated database and the config the CLI reads, for driving commands through `runCommand`; `sources`: the platforms it knows. */
export async function cliHarness(dialect: Dialect, encryptionKey: Buffer = randomBytes(32), sources?: readonly PushSource[]): Promise<CliHarness> {
  const database = await createTestDatabase(dialect);
  const handle = database.open();
  const config = loadConfig({
    DATABASE_URL: database.url,
    PUBLIC_URL: 'https://flags.example.com',
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'flag-alerts-cli-')),
  });
  return {
    database,
    handle,
    config,
    async run(...argv) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCommand(argv, config, { out: (l) => out.push(l), err: (l) => err.push(l) }, createSourceRegistry(sources));
      return { code, out, err };
    },
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
