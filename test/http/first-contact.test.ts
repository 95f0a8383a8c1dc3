import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config/config.js';
import { startTestApp } from '../helpers/test-app.js';
import { VERSION } from '../../src/version.js';

/** What people hit first: the root URL, the version, and a database that is not there. */
const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/none';

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'fa-first-')), ...env });
  const code = await runCommand(argv, config, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('first contact', () => {
  it('sends / to the settings page', async () => {
    const app = await startTestApp({});
    try {
      const res = await fetch(`${app.url}/`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/settings');
    } finally {
      await app.stop();
    }
  });

  it('prints the version', async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli({}, '--version')).toEqual({ code: 0, out: `flag-alerts ${VERSION}`, err: '' });
  });

  it('names the PostgreSQL it cannot reach and why, at start and in migrate, instead of "migration failed"', async () => {
    await expect(
      startTestApp({ database: { dialect: 'postgres', url: UNREACHABLE, options: {}, open: () => ({}) as never, drop: async () => undefined } }),
    ).rejects.toThrow(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    await expect(cli({ DATABASE_URL: UNREACHABLE }, 'migrate')).rejects.toThrow(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
