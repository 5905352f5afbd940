/**
 * The console's build (vite, into dist/console), made when it is missing or stale: `npm start` and
 * the browser test call ensureConsoleBuilt(); `npm run build` always builds. Stale means the inputs
 * changed: a stamp beside the output holds the SHA-256 of every input file (the console's sources,
 * the typed client it is built on, the lockfile), so a checkout that only touched mtimes is not stale.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// From stack/ (tsx) or dist/stack/ (compiled).
const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((dir) =>
  fs.existsSync(path.join(dir, 'package.json')),
)!;
export const consoleOutDir = path.join(root, 'dist', 'console');
const stampFile = path.join(consoleOutDir, '.inputs-sha256');
const INPUTS = ['console', 'client/index.ts', 'client/lifecycle.ts', 'client/openapi.ts', 'package-lock.json'];

function files(entry: string): string[] {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
}

export function consoleInputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(`${file}\0`).update(fs.readFileSync(path.join(root, file)));
  return hash.digest('hex');
}

export function consoleIsCurrent(): boolean {
  try {
    return (
      fs.existsSync(path.join(consoleOutDir, 'index.html')) &&
      fs.readFileSync(stampFile, 'utf8').trim() === consoleInputsHash()
    );
  } catch {
    return false;
  }
}

/** Runs vite build (a child process: vite is an ES module) and stamps the output with its inputs. */
export async function buildConsole(log: (line: string) => void = () => undefined): Promise<void> {
  const inputs = consoleInputsHash();
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', 'console/vite.config.mjs', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the console's build failed (vite exit ${code}): ${output.join('').trim()}`);
  fs.writeFileSync(stampFile, `${inputs}\n`);
  log(`console built into ${path.relative(root, consoleOutDir)}/`);
}

export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<'current' | 'built'> {
  if (consoleIsCurrent()) return 'current';
  log(fs.existsSync(consoleOutDir) ? 'the console is out of date: building it' : 'building the console');
  await buildConsole(log);
  return 'built';
}

if (require.main === module) {
  buildConsole((line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
