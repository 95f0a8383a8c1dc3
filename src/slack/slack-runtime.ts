import { App, ExpressReceiver } from '@slack/bolt';
import type { InstallProvider } from '@slack/oauth';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config, SlackCredentials } from '../config/config.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { boltLogger, slackLevelOf } from '../logging/bolt-logger.js';
import { findLiveInstallation } from '../installations/installations.repository.js';
import type { Database } from '../storage/schema.js';
import { createInstallationStore } from './installation-store.js';
import { createStateStore } from './state-store.js';
import { BOT_SCOPES } from './scopes.js';

export interface SlackRuntime {
  app: App;
  installer: InstallProvider;
  clientOptions: WebClientOptions;
  /** A Web API client with the organization's current bot token (rotated when due), or undefined when not installed. */
  clientFor(organizationId: string): Promise<WebClient | undefined>;
}

/**
 * One set of WebClient options for Bolt, the OAuth installer and our own calls. Retries and rate limits
 * are handled once, by the outbox: the SDK neither retries nor waits.
 */
function webClientOptions(config: Config, logger: Logger): WebClientOptions {
  return {
    slackApiUrl: config.slackApiUrl,
    logger: boltLogger(logger, 'slack-web-api'),
    logLevel: slackLevelOf(config.logLevel),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}

/** The Bolt app in HTTP mode on our Express app, with OAuth v2 install and the database installation store. */
export function createSlackRuntime(input: {
  config: Config;
  credentials: SlackCredentials;
  db: Kysely<Database>;
  box: SecretBox;
  logger: Logger;
  express: Express;
}): SlackRuntime {
  const { config, credentials, db, box, logger, express } = input;
  const clientOptions = webClientOptions(config, logger);
  const stateSecret = credentials.stateSecret ?? box.derive('oauth-state');
  const installationStore = createInstallationStore(db, box);
  const receiver = new ExpressReceiver({
    app: express,
    signingSecret: credentials.signingSecret,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scopes: [...BOT_SCOPES],
    redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
    installationStore,
    logger: boltLogger(logger, 'bolt-receiver'),
    logLevel: slackLevelOf(config.logLevel),
    installerOptions: {
      directInstall: true,
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      stateStore: createStateStore(db, stateSecret),
      authorizationUrl: config.slackAuthorizeUrl,
      // The receiver builds the installer itself: hand it the same client options as the App.
      clientOptions,
      callbackOptions: {
        success: (installation, _options, _req, res) => {
          const team = installation.team?.id ?? installation.enterprise?.id ?? '';
          res.writeHead(302, { Location: `${config.publicUrl}/settings?installed=${encodeURIComponent(team)}` });
          res.end();
        },
        failure: (error, _options, _req, res) => {
          logger.warn({ err: error.message }, 'Slack install failed');
          res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(
            '<!doctype html><title>Install failed</title><p>The Slack install did not complete: the link expired or was already used. <a href="/slack/install">Start again</a>.</p>',
          );
        },
      },
    },
  });
  const app = new App({
    receiver,
    clientOptions,
    logger: boltLogger(logger, 'bolt'),
    logLevel: slackLevelOf(config.logLevel),
  });
  const installer = receiver.installer;
  if (!installer) throw new Error('Slack OAuth installer was not created');

  return {
    app,
    installer,
    clientOptions,
    async clientFor(organizationId) {
      const row = await findLiveInstallation(db, organizationId);
      if (!row) return undefined;
      const auth = await installer.authorize({
        teamId: row.team_id ?? undefined,
        enterpriseId: row.enterprise_id ?? undefined,
        isEnterpriseInstall: row.is_enterprise_install === 1,
      });
      if (!auth.botToken) return undefined;
      return new WebClient(auth.botToken, clientOptions);
    },
  };
}
