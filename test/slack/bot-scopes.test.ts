import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/slack/scopes.js';

describe('bot scopes', () => {
  it('manifest.yml asks for exactly the scopes the install asks for (users:read.email among them, for email notifications)', () => {
    const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const bot = /\n {4}bot:\n((?: {6}- .+\n)+)/.exec(manifest)?.[1] ?? '';
    const listed = bot
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^ {6}- /, '').trim());
    expect(listed).toEqual([...BOT_SCOPES]);
    expect(listed).toContain('users:read.email');
  });
});
