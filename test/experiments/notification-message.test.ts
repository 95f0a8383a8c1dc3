import { describe, expect, it } from 'vitest';
import { notificationMessage } from '../../src/experiments/notification-message.js';
import type { NotificationPayload } from '../../src/experiments/plan-notifications.js';

const experiment: NotificationPayload['experiment'] = {
  id: 'exp-1',
  key: 'checkout-button',
  name: 'Checkout button',
  projectId: 7,
  startAt: null,
  endAt: null,
};

describe('notificationMessage for a sample-ratio mismatch', () => {
  it('names the p-value and the threshold it fell below', () => {
    const message = notificationMessage({ kind: 'srm', experiment, details: { chiSquare: 12.345, pValue: 0.000465, threshold: 0.001 } });
    expect(message.subject).toBe('Sample-ratio mismatch in experiment Checkout button (checkout-button)');
    expect(message.text).toContain('(chi-square 12.35, p = 4.65e-4, below the threshold 0.001)');
  });

  it('still reads well for a notification queued before thresholds were recorded', () => {
    const message = notificationMessage({ kind: 'srm', experiment, details: { chiSquare: 12.345, pValue: 0.000465 } });
    expect(message.text).toContain('(chi-square 12.35, p = 4.65e-4). Its results may be biased.');
  });
});
