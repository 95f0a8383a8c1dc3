import type { PushSource } from '../source-kind.js';
import { translateGrowthBook } from './translate.js';
import { verifyGrowthBook } from './verify.js';

export const growthbookSource: PushSource = {
  kind: 'growthbook',
  label: 'GrowthBook',
  // GrowthBook makes the signing secret (ewhk_…) itself; the admin pastes it here.
  secretOrigin: 'platform',
  verify: verifyGrowthBook,
  translate: (body) => translateGrowthBook(body),
  setupSteps: (url) => [
    'In GrowthBook, as an admin, open Settings → Webhooks and click "New Event Webhook".',
    'Payload Type: JSON.',
    'Webhook Name: e.g. "Flag Alerts".',
    `Endpoint URL: ${url}`,
    'Method: POST (PUT and PATCH work too). Leave "Headers (JSON)" empty.',
    'Events: feature.created, feature.updated and feature.deleted (or all feature events).',
    'Filters: leave Environment, Projects and Tags on "all", or pick the ones to hear about. Click "Create".',
    // GrowthBook makes the secret when the webhook is created (EventWebhookModel.ts), so the source takes it afterwards.
    `Open the new webhook's page, copy its Secret (it starts with ewhk_) and make it this source's secret: npx flag-alerts source rotate ${url.slice(url.lastIndexOf('/') + 1)} --secret ewhk_…`,
  ],
};
