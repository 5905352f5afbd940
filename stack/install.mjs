#!/usr/bin/env node
// What `npm start` and `npm test` do first, so that either works alone on a fresh clone. Plain
// Node with no dependencies, because it runs before node_modules exists: it checks the Node
// version against package.json's `engines`, then installs the dependencies when they are missing
// or behind package-lock.json (`npm ci`). stack/start.mjs imports it; `npm test` runs it
// (`node stack/install.mjs`) before lint, typecheck and jest. Silent when there is nothing to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Stops with one line when this Node is older than package.json's `engines.node` (`>=X.Y.Z`). */
export function requireNode(label) {
  const wanted = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines?.node ?? '';
  const floor = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(wanted.trim());
  if (!floor) return;
  const have = process.versions.node.split('.').map(Number);
  const need = floor.slice(1).map(Number);
  const older = need.findIndex((part, i) => have[i] !== part);
  if (older !== -1 && have[older] < need[older]) {
    process.stderr.write(
      `[${label}] error: QTM OS needs Node ${need.join('.')} or later (this is ${process.version})\n`,
    );
    process.exit(1);
  }
}

/** Why the installed dependencies are not what package-lock.json asks for, or null if they are. */
export function dependenciesStale() {
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

/** Runs `npm ci` (or `npm install` without a lock file) when the dependencies are stale; exits on failure. */
export function installDependencies(label) {
  const stale = dependenciesStale();
  if (!stale) return;
  const args = fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  process.stdout.write(`[${label}] installing dependencies (${stale}): npm ${args.join(' ')}\n`);
  // Under `npm start` or `npm test`, npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npmCli = process.env.npm_execpath;
  const command = npmCli && /npm-cli\.js$/.test(npmCli) ? process.execPath : 'npm';
  const installed = spawnSync(command, command === 'npm' ? args : [npmCli, ...args], { cwd: root, stdio: 'inherit' });
  if (installed.status !== 0) {
    process.stderr.write(
      `[${label}] error: npm ${args.join(' ')} failed${installed.error ? `: ${installed.error.message}` : ` (exit ${installed.status ?? installed.signal})`}\n`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  requireNode('install');
  installDependencies('install');
}
