import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real app (`src/main.ts`) as a child process, so it can be SIGKILLed and its memory read. */
export function spawnApp(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(join(tmpdir(), 'fa-rel-data-')), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Start errors show in the test output instead of a silent health-check timeout.
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[app ${child.pid}] ${chunk.toString()}`));
  return child;
}

export async function waitForHealth(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`the app at ${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
