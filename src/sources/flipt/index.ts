import type { PushSource } from '../source-kind.js';
import { translateFlipt } from './translate.js';
import { verifyFlipt } from './verify.js';

export const fliptSource: PushSource = {
  kind: 'flipt',
  label: 'Flipt',
  // Flipt takes any signing secret from its configuration, so we make a strong one.
  secretOrigin: 'generated',
  verify: verifyFlipt,
  translate: (body) => translateFlipt(body),
  setupSteps: (url) => [
    'Flipt v1 only: Flipt v2 has no audit webhook.',
    'In the Flipt server configuration (config.yml), under audit.sinks.webhook set enabled: true, url: ' +
      `${url} and signing_secret: the secret of this source (or the environment variables FLIPT_AUDIT_SINKS_WEBHOOK_ENABLED=true, FLIPT_AUDIT_SINKS_WEBHOOK_URL, FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET).`,
    'Use url and signing_secret, not audit.sinks.webhook.templates: templated webhooks are not signed and are refused.',
    'Optional: limit audit.events to the ones that alert: ["flag:*", "variant:*", "rule:*", "rollout:*"] (the default "*:*" works too; the rest is counted as ignored).',
    'Restart Flipt. Events are buffered before they are sent: they can arrive up to audit.buffer.flush_period later (2 minutes by default).',
  ],
};
