import type { SecretBox } from '../../crypto/secret-box.js';
import type { QueuedTest } from '../../delivery/deliveries.repository.js';
import type { AlertFormDeps } from '../alert-form.js';
import type { SendLimiter } from './send-limit.js';

/**
 * Only what the alert operations use. The composition root builds it once; the surface that shows alerts
 * (the Slack Home tab) is reached through `alertsChanged`, so this folder never imports a surface.
 */
export interface AlertOperationsDeps extends AlertFormDeps {
  box: SecretBox;
  now: () => number;
  /** Queues a sample notification through the real delivery path, unless one is on its way; undefined when the alert is gone. */
  queueTestDelivery(input: { organizationId: string; alertId: number; requestedBy: string }): Promise<QueuedTest | undefined>;
  /** Each person's recent sends, the same count from Slack and the settings page. */
  sendLimiter: SendLimiter;
  /** After a change people can see, every place that shows the organization's alerts refreshes. Never throws. */
  alertsChanged(organizationId: string): Promise<void>;
}
