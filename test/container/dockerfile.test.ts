import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Docker cannot build here, so the Dockerfile is held to the commands CI and the tests do run: if a script in
// package.json or a step in the Dockerfile changes, this fails until the other follows.
const dockerfile = readFileSync('Dockerfile', 'utf8');
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Each instruction on one line (backslash continuations joined), comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** The command of a RUN or CMD line, exec form (JSON array) or shell form alike. */
function commandOf(line: string): string {
  const rest = line.replace(/^\S+\s+/, '');
  return rest.startsWith('[') ? (JSON.parse(rest) as string[]).join(' ') : rest;
}

const lines = (keyword: string) => instructions.filter((line) => line.startsWith(`${keyword} `)).map(commandOf);

describe('Dockerfile', () => {
  it('runs exactly npm ci, npm run build, the production install and the data directory, and starts as npm start does', () => {
    expect(lines('RUN')).toEqual(['npm ci', 'npm run build', 'npm ci --omit=dev', 'mkdir -p /data && chown node:node /data']);
    expect(lines('CMD')).toEqual(['node dist/src/main.js']);
    expect(scripts.start).toBe(`npm run build && ${lines('CMD')[0]}`);
    // What `npm run build` compiles is what the build stage copies in.
    expect(scripts.build).toBe('tsc -p tsconfig.build.json');
    const included = (JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { include: string[] }).include;
    for (const dir of included) expect(instructions).toContain(`COPY ${dir} ./${dir}`);
  });

  it('builds on Node 20 slim in stages and runs as the unprivileged user, data under /data', () => {
    expect(instructions.filter((line) => line.startsWith('FROM ')).every((line) => line.startsWith('FROM node:20-slim'))).toBe(true);
    expect(instructions.filter((line) => line.startsWith('FROM ')).length).toBeGreaterThan(1);
    expect(instructions).toContain('USER node');
    expect(instructions).toContain('VOLUME /data');
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/DATABASE_URL=file:\/data\/flag-alerts\.db/);
    expect(instructions.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/readyz/);
  });

  it('keeps secrets, data and local installs out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.env', '.git']) expect(ignored).toContain(entry);
  });
});
