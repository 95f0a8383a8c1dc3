import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('experiment settings', () => {
  it('accepts smtp(s) URLs and an http(s) link template, both optional', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    const config = loadConfig({
      SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      EXPERIMENT_URL_TEMPLATE: 'https://x.example.com/{projectId}/{experimentId}',
    });
    expect(config.smtpUrl).toBe('smtps://user:pw@mail.example.com:465');
    expect(config.experimentUrlTemplate).toBe('https://x.example.com/{projectId}/{experimentId}');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ EXPERIMENT_URL_TEMPLATE: 'ftp://x' })).toThrow(/EXPERIMENT_URL_TEMPLATE/);
  });
});
