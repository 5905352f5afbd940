#!/usr/bin/env node
// `npm start` and `npm run cluster`, step one. Plain Node with no dependencies, because it runs
// before node_modules exists: it checks the Node version and installs the dependencies when they
// are missing or behind package-lock.json (stack/install.mjs, which `npm test` runs too), then
// hands over to the TypeScript orchestrator (stack/dev.ts, or stack/cluster.ts when the first
// argument is `cluster`, run by tsx), relays signals to it and exits with its exit code.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDependencies, requireNode } from './install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

requireNode('start');
installDependencies('start');

const [orchestrator, args] =
  process.argv[2] === 'cluster' ? ['cluster.ts', process.argv.slice(3)] : ['dev.ts', process.argv.slice(2)];
const stack = spawn(process.execPath, ['--import', 'tsx', path.join('stack', orchestrator), ...args], {
  cwd: root,
  stdio: 'inherit',
});

// A Ctrl-C in a terminal reaches the whole process group; a signal sent to npm or to this
// process alone must still reach the orchestrator. It ignores the duplicates.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stack.exitCode === null && stack.signalCode === null) stack.kill(signal);
  });
}

// `npm start` runs this under `sh -c`, which a SIGTERM sent to npm alone kills without passing
// it on. Losing the parent means the same as that SIGTERM: stop the stack rather than orphan it.
const parent = process.ppid;
const watchParent = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watchParent);
  if (stack.exitCode === null && stack.signalCode === null) stack.kill('SIGTERM');
}, 500);
watchParent.unref();

stack.on('error', (error) => {
  process.stderr.write(`[start] error: could not run the orchestrator: ${error.message}\n`);
  process.exit(1);
});
stack.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
});
