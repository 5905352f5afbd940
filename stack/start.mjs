#!/usr/bin/env node
// `npm start` and `npm run cluster`, step one. Plain Node with no dependencies, because it runs
// before node_modules exists: it checks the Node version, installs the dependencies when they are
// missing or behind package-lock.json (`npm ci`), then hands over to the TypeScript orchestrator
// (stack/dev.ts, or stack/cluster.ts when the first argument is `cluster`, run by tsx), relays
// signals to it and exits with its exit code.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`[start] ${line}\n`);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`[start] error: QTM OS needs Node 20.19 or later (this is ${process.version})\n`);
  process.exit(1);
}

/** Why the installed dependencies are not what package-lock.json asks for, or null if they are. */
function dependenciesStale() {
  const lockFile = path.join(root, 'package-lock.json');
  const installedFile = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  if (!fs.existsSync(path.join(root, 'node_modules', 'tsx', 'package.json'))) return 'tsx is not installed';
  if (!fs.existsSync(lockFile)) return null;
  if (!fs.existsSync(installedFile)) return 'node_modules was not installed by npm';
  const wanted = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(fs.readFileSync(installedFile, 'utf8')).packages ?? {};
  for (const [where, entry] of Object.entries(wanted)) {
    // Optional packages for other platforms are never installed; the root entry is the project.
    if (where === '' || entry.optional) continue;
    if (installed[where]?.version !== entry.version)
      return `${where.replace(/^node_modules\//, '')} ${entry.version} is not installed`;
  }
  return null;
}

const stale = dependenciesStale();
if (stale) {
  const useCi = fs.existsSync(path.join(root, 'package-lock.json'));
  const args = useCi ? ['ci'] : ['install'];
  say(`installing dependencies (${stale}): npm ${args.join(' ')}`);
  // Under `npm start`, npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npmCli = process.env.npm_execpath;
  const command = npmCli && /npm-cli\.js$/.test(npmCli) ? process.execPath : 'npm';
  const installed = spawnSync(command, command === 'npm' ? args : [npmCli, ...args], { cwd: root, stdio: 'inherit' });
  if (installed.status !== 0) {
    process.stderr.write(
      `[start] error: npm ${args.join(' ')} failed${installed.error ? `: ${installed.error.message}` : ` (exit ${installed.status ?? installed.signal})`}\n`,
    );
    process.exit(1);
  }
}

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
