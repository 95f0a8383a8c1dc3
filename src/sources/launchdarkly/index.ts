import type { PushSource } from '../source-kind.js';
import { translateLaunchDarkly } from './translate.js';
import { verifyLaunchDarkly } from './verify.js';

export const launchdarklySource: PushSource = {
  kind: 'launchdarkly',
  label: 'LaunchDarkly',
  // LaunchDarkly lets the admin supply their own webhook secret, so we generate one to paste there.
  secretOrigin: 'generated',
  verify: verifyLaunchDarkly,
  translate: (body) => translateLaunchDarkly(body),
  setupSteps: (url) => [
    'In LaunchDarkly, click the gear icon in the left sidebar (Organization settings), then Integrations; find the "Webhooks" integration and click Add integration.',
    `Give it a Name (e.g. "Flag Alerts") and enter this URL: ${url}`,
    'Check "Sign this webhook" and replace the secret LaunchDarkly proposes with this source\'s secret (or keep LaunchDarkly\'s and rotate this source to it).',
    'LaunchDarkly sends only production flag changes by default: to hear every environment, add a policy with resources "proj/*:env/*:flag/*" and actions "*".',
    'Check "I have read and agree to the Integration Terms and Conditions" and click Save settings.',
  ],
};
