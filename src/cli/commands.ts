import type { Config } from '../config/config.js';
import { assertDatabaseAnswers, openDatabase } from '../storage/database.js';
import { backupDatabase } from '../storage/backup.js';
import { migrateToLatest } from '../storage/migrate.js';
import { INGEST_KEY_USAGE, ingestKeyCommand } from './ingest-key-command.js';
import type { Output } from './output.js';
import { VERSION } from '../version.js';
import { SEND_SAMPLE_USAGE, sendSampleCommand } from './send-sample-command.js';
import { createSourceRegistry, type SourceRegistry } from '../sources/registry.js';
import { SOURCE_USAGE, sourceCommand } from './source-command.js';

export type { Output } from './output.js';

const MIGRATE_USAGE = `  migrate                                   run pending database migrations`;
const BACKUP_USAGE = `  backup <file>                             a consistent copy of the SQLite database, also while the app runs
                                            (a new file: an existing one is never overwritten)`;

const USAGE = `usage: flag-alerts <command>   (flag-alerts <command> --help: that command's usage)
${MIGRATE_USAGE}
${BACKUP_USAGE}
${INGEST_KEY_USAGE}
${SOURCE_USAGE}
${SEND_SAMPLE_USAGE}
  --version                                 the version
  help                                      this text`;

/** Runs one CLI command; returns the exit code. Each command is a small function below. `sources`: the platforms a source may be of. */
export async function runCommand(argv: string[], config: Config, io: Output, sources: SourceRegistry = createSourceRegistry()): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'migrate':
      if (argv.includes('--help')) return help(io, MIGRATE_USAGE);
      if (argv.length > 1) {
        io.err(`flag-alerts migrate: unexpected argument "${argv[1]}"\nusage:\n${MIGRATE_USAGE}`);
        return 2;
      }
      return migrate(config, io);
    case 'backup':
      if (argv.includes('--help')) return help(io, BACKUP_USAGE);
      return backup(argv.slice(1), config, io);
    case 'ingest-key':
      return ingestKeyCommand(argv.slice(1), config, io);
    case 'source':
      return sourceCommand(argv.slice(1), config, io, sources);
    case 'send-sample':
      return sendSampleCommand(argv.slice(1), config, io);
    case '--version':
    case 'version':
      io.out(`flag-alerts ${VERSION}`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      io.out(USAGE);
      return 0;
    default:
      io.err(`flag-alerts: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

/** A command's own usage, asked for with --help: on standard output, exit 0, and nothing else done. */
function help(io: Output, usage: string): number {
  io.out(`usage:\n${usage}`);
  return 0;
}

async function migrate(config: Config, io: Output): Promise<number> {
  const { db, close } = openDatabase(config.databaseUrl);
  try {
    await assertDatabaseAnswers(db, config.databaseUrl);
    const results = await migrateToLatest(db);
    io.out(results.length === 0 ? 'migrations: already up to date' : results.map((r) => `migrated ${r.migrationName}`).join('\n'));
    return 0;
  } finally {
    await close();
  }
}

async function backup(args: string[], config: Config, io: Output): Promise<number> {
  const [file, ...rest] = args;
  if (file === undefined || rest.length > 0) {
    io.err('usage: flag-alerts backup <file>   (a new file: an existing one is never overwritten)');
    return 2;
  }
  const result = await backupDatabase(config.databaseUrl, file);
  if (!result.ok) {
    io.err(`flag-alerts: backup: ${result.error}`);
    return 1;
  }
  io.out(`backed up ${result.pages} pages to ${result.file}; start on it with DATABASE_URL=file:${result.file} and the same ENCRYPTION_KEY`);
  return 0;
}
