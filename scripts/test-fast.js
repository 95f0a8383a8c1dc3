// `npm test`: the type check and the fast suite side by side. The suite mostly waits (HTTP, PostgreSQL, the
// outbox), leaving a core idle for tsc; one after the other they took about 17 s longer. tsc's findings are printed
// after the suite's report; the run fails if either fails.
import { spawn } from 'node:child_process';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const exitCode = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const typecheck = spawn(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--pretty'], { stdio: ['ignore', 'pipe', 'pipe'] });
const found = [];
typecheck.stdout.on('data', (chunk) => found.push(chunk));
typecheck.stderr.on('data', (chunk) => found.push(chunk));
const typecheckDone = exitCode(typecheck);

const suite = spawn(bin('vitest'), ['run', '--project', 'fast', ...process.argv.slice(2)], { stdio: 'inherit' });
const [suiteCode, typecheckCode] = await Promise.all([exitCode(suite), typecheckDone]);

if (typecheckCode !== 0) process.stdout.write(`\ntype check (tsc -p tsconfig.json) failed:\n${Buffer.concat(found).toString()}`);
else process.stdout.write('\ntype check (tsc -p tsconfig.json): no errors\n');
process.exit(suiteCode || typecheckCode);
