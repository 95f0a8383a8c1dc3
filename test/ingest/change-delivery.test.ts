import { describe, expect, it } from 'vitest';
import type { MatchableAlert } from '../../src/alerts/alerts.repository.js';
import { changeDelivery } from '../../src/delivery/deliveries.repository.js';

const slack: MatchableAlert = {
  id: 7,
  projectId: 1,
  actions: ['updated'],
  scope: { type: 'project' },
  status: 'active',
  destinationType: 'slack',
  channelId: 'C9',
};

describe('changeDelivery', () => {
  it('queues a pending change for the alert, due now, with no attempts yet', () => {
    expect(changeDelivery('T1', slack, 42, 1_000)).toMatchObject({
      organization_id: 'T1',
      alert_id: 7,
      flag_event_id: 42,
      kind: 'change',
      destination_type: 'slack',
      channel_id: 'C9',
      status: 'pending',
      attempts: 0,
      next_attempt_at: 1_000,
      created_at: 1_000,
      updated_at: 1_000,
    });
  });

  it('mints a fresh msg_ id per delivery and keeps no channel for webhooks', () => {
    const a = changeDelivery('T1', { ...slack, destinationType: 'webhook', channelId: null }, 1, 0);
    const b = changeDelivery('T1', slack, 1, 0);
    expect(a.message_id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(a.message_id).not.toBe(b.message_id);
    expect(a.channel_id).toBeNull();
    expect(a.payload ?? null).toBeNull();
  });
});
