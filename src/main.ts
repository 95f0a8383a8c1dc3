import 'dotenv/config';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logging/logger.js';

/** `npm start`: one clear line and a non-zero exit on a bad setting; otherwise serve until SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`flag-alerts: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  try {
    // Loaded once the settings are good: a bad one is reported before the whole app is read in.
    const { startServer } = await import('./server.js');
    const server = await startServer({ config, logger });
    const stop = () => {
      void server.shutdown(config.shutdownTimeoutMs).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    process.stderr.write(`flag-alerts: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

await main();
