import type { PushSource } from '../source-kind.js';
import { translateFlagsmith } from './translate.js';
import { verifyFlagsmith } from './verify.js';

export const flagsmithSource: PushSource = {
  kind: 'flagsmith',
  label: 'Flagsmith',
  // The admin types the webhook's secret in Flagsmith, so we generate one to paste there.
  secretOrigin: 'generated',
  verify: verifyFlagsmith,
  translate: (body) => translateFlagsmith(body),
  setupSteps: (url) => [
    'In Flagsmith, open the environment to watch, then Environment Settings → Webhooks, and create a webhook.',
    `Enter this URL: ${url}`,
    "Paste this source's secret into the webhook's Secret field (without it Flagsmith sends no signature and the events are refused).",
    'Tick Enabled and save. Repeat for every environment to watch; each can post to this same URL.',
    'Flag changes (FLAG_UPDATED, FLAG_DELETED) are sent; identity and segment overrides and "Test webhook" samples are counted as ignored.',
  ],
};
