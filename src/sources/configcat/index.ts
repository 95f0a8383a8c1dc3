import type { PushSource } from '../source-kind.js';
import { translateConfigCat } from './translate.js';
import { verifyConfigCat } from './verify.js';

/** The webhook body the source reads (contract section 7), to paste as ConfigCat's request body. */
export const CONFIGCAT_BODY_TEMPLATE =
  '{"config":{"id":"##ConfigId##","name":"##ConfigName##"},"environment":{"id":"##EnvironmentId##","name":"##EnvironmentName##"},' +
  '"url":"##URL##","changedBy":"##ChangedBy##","notes":"##ChangeNotes##","changes":##ChangeDetails##}';

export const configcatSource: PushSource = {
  kind: 'configcat',
  label: 'ConfigCat',
  // ConfigCat makes the signing keys; the admin copies one from its Webhooks page.
  secretOrigin: 'platform',
  verify: verifyConfigCat,
  translate: translateConfigCat,
  setupSteps: (url) => [
    'In the ConfigCat Dashboard, open Webhooks (https://app.configcat.com/webhook) and click + ADD WEBHOOK.',
    'Select the Config and the Environment whose changes should alert. A webhook covers one config and one environment: add one per environment, all with this same URL.',
    `URL: ${url}   HTTP METHOD: POST`,
    'Add a custom HTTP header: Content-Type with the value application/json.',
    `Request body, exactly: ${CONFIGCAT_BODY_TEMPLATE}`,
    "Save. On the Webhooks page, copy the signing key (it starts with configcat_whsk_) and paste it here as the secret. When you rotate ConfigCat's signing keys, rotate this source's secret to the new key: ConfigCat signs with both keys until the old one is deleted.",
    'Test: change a setting and click SAVE & PUBLISH CHANGES.',
  ],
};
