import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/helpers/free-port.js';

export { freePort };

export interface AppProcess {
  url: string;
  pid: number;
  /** peak resident set size so far (VmHWM), in MB */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** The app as `npm start` runs it: compiled JavaScript (bench/run.ts builds it first). */
export const APP = 'dist/src/main.js';

/**
 * Runs an entry point as its own Node process and waits until it answers: compiled JavaScript as is,
 * TypeScript (the baseline server) through tsx, which transpiles at load only.
 */
export async function startProcess(script: string, env: Record<string, string>, readyPath = '/healthz'): Promise<AppProcess> {
  const port = await freePort();
  // `npm run bench -- --profile` sets this: the app writes a V8 CPU profile there when it stops.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const nodeArgs = script === APP && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, script.endsWith('.ts') ? ['--import', 'tsx', script] : [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${script} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
