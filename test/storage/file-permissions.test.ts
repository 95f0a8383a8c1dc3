import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { startTestApp } from '../helpers/test-app.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the data folder and the database files', () => {
  it('are created owner-only: 0700 for the folder, 0600 for the database, its -wal and -shm, and the key file', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'fa-perm-')), 'data');
    const file = join(data, 'flag-alerts.db');
    const url = `file:${file}`;
    // ENCRYPTION_KEY unset: the first start writes the key file into the data folder.
    const app = await startTestApp({
      database: { dialect: 'sqlite', url, options: {}, open: () => openDatabase(url), drop: async () => undefined },
      env: { DATA_DIR: data, ENCRYPTION_KEY: '' },
    });
    try {
      expect(modeOf(data).toString(8)).toBe('700');
      for (const path of [file, `${file}-wal`, `${file}-shm`, join(data, 'encryption.key')]) expect([path, modeOf(path).toString(8)]).toEqual([path, '600']);
    } finally {
      await app.stop();
    }
  });
});
