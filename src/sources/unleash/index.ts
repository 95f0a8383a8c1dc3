import type { PushSource } from '../source-kind.js';
import { translateUnleash } from './translate.js';
import { verifyUnleash } from './verify.js';

/** The events to tick in the Webhook integration: the flag changes translate.ts turns into alerts. */
const EVENTS = [
  'feature-created',
  'feature-archived',
  'feature-revived',
  'feature-environment-enabled',
  'feature-environment-disabled',
  'feature-strategy-add',
  'feature-strategy-update',
  'feature-strategy-remove',
  'feature-metadata-updated',
  'feature-variants-updated',
  'feature-project-change',
  'feature-stale-on',
  'feature-stale-off',
  'feature-tagged',
  'feature-untagged',
];

export const unleashSource: PushSource = {
  kind: 'unleash',
  label: 'Unleash',
  // Unleash lets the admin type any Authorization value, so we generate one to paste there.
  secretOrigin: 'generated',
  verify: verifyUnleash,
  translate: (body) => translateUnleash(body),
  setupSteps: (url) => [
    'In Unleash, open Integrations, find "Webhook" and click "Configure".',
    `Webhook URL: ${url}`,
    'Content-Type: leave "application/json".',
    'Authorization: paste this source\'s secret exactly, with nothing before it (no "Bearer ").',
    'Leave "Extra HTTP Headers" and "Body template" empty: Flag Alerts reads the default body.',
    `Events: tick ${EVENTS.join(', ')}.`,
    'Projects and Environments: leave empty for all, or pick the ones to hear about.',
    'Switch the integration to "Enabled" and click "Create".',
  ],
};
