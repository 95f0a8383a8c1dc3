import type { SecretBox } from '../../crypto/secret-box.js';
import type { AlertFormDeps } from '../alert-form.js';

/**
 * Only what the alert operations use. The composition root builds it once; the surface that shows alerts
 * (the Slack Home tab) is reached through `alertsChanged`, so this folder never imports a surface.
 */
export interface AlertOperationsDeps extends AlertFormDeps {
  box: SecretBox;
  now: () => number;
  /** Queues a sample notification through the real delivery path; undefined when the alert is gone. */
  queueTestDelivery(input: { organizationId: string; alertId: number; requestedBy: string }): Promise<{ deliveryId: number } | undefined>;
  /** After a change people can see, every place that shows the organization's alerts refreshes. Never throws. */
  alertsChanged(organizationId: string): Promise<void>;
}
