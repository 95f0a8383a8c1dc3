import 'dotenv/config';
import { ConfigError, loadConfig } from '../config/config.js';
import { runCommand } from './commands.js';

/** `npx flag-alerts <command>`; exit code 0 on success, 1 on a failure, 2 on a usage error. */
try {
  const config = loadConfig(process.env);
  process.exitCode = await runCommand(process.argv.slice(2), config, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`flag-alerts: ${message}\n`);
  process.exitCode = 1;
}
