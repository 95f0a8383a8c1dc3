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
    "Open the new webhook's page, copy its Secret (it starts with ewhk_) and paste it here as this source's secret.",
  ],
};
