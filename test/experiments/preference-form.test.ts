import { describe, expect, it } from 'vitest';
import { parsePreference } from '../../src/experiments/preference-form.js';

describe('parsePreference', () => {
  it('keeps known kinds in a stable order and the channel', () => {
    expect(parsePreference('U123', ['srm', 'starts_soon'], 'email')).toEqual({ ok: true, preference: { kinds: ['starts_soon', 'srm'], channel: 'email' } });
  });
  it('accepts a single kind and no kinds at all', () => {
    expect(parsePreference('U123', 'significance', 'slack')).toEqual({ ok: true, preference: { kinds: ['significance'], channel: 'slack' } });
    expect(parsePreference('U123', undefined, 'slack')).toEqual({ ok: true, preference: { kinds: [], channel: 'slack' } });
  });
  it('refuses an unknown kind, naming it', () => {
    expect(parsePreference('U123', ['srm', 'drop_tables'], 'slack')).toEqual({ ok: false, field: 'kinds', reason: 'unknown notification kind "drop_tables"' });
  });
  it('refuses an unknown channel and Slack for an email address', () => {
    expect(parsePreference('U123', [], 'sms')).toMatchObject({ ok: false, field: 'channel' });
    expect(parsePreference('pm@example.com', ['srm'], 'slack')).toMatchObject({ ok: false, field: 'channel' });
  });
});
