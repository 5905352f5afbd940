/**
 * A local witness for the log: litewitness (filippo.io/torchwood, C2SP tlog-witness), built from
 * its Go module into .tools/bin, with its key in a dedicated ssh-agent as it expects.
 *
 *   <dir>/witness-key(.pub)   the witness's Ed25519 key (ssh-keygen), made once
 *   <dir>/litewitness.db      its SQLite state: the logs it follows, their keys, the sizes it cosigned
 *   <dir>/agent.sock          the ssh-agent holding the key
 *
 * The log (its origin) and every note verifier key of the log, current and retired, are
 * registered with witnessctl before litewitness starts (each only once: add-key does not dedupe).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { witnessVerifierKey } from '../trust/log-cosignature';
import { ensureGoTool, LITEWITNESS, WITNESSCTL } from './go-tools';
import { isPortOpen, stopProcess } from './temporal-cli';

export interface WitnessTools {
  litewitness: string;
  witnessctl: string;
}

export async function ensureWitnessTools(log?: (line: string) => void, signal?: AbortSignal): Promise<WitnessTools> {
  return {
    litewitness: await ensureGoTool(LITEWITNESS, log, signal),
    witnessctl: await ensureGoTool(WITNESSCTL, log, signal),
  };
}

export interface PreparedWitness {
  name: string;
  dir: string;
  db: string;
  socket: string;
  keyFile: string;
  /** SHA256:... as litewitness's -key wants it. */
  fingerprint: string;
  /** Its cosignature verifier key (name+id+base64(0x04 ‖ key)). */
  vkey: string;
  tools: WitnessTools;
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const out = spawnSync(binary, args, { encoding: 'utf8', env });
  if (out.status !== 0)
    throw new Error(`${path.basename(binary)} ${args[0]} failed: ${(out.stderr || out.stdout || '').trim()}`);
  return out.stdout;
}

/** Makes the key (once) and registers the log and its keys with the witness's database. */
export function prepareWitness(options: {
  dir: string;
  name: string;
  origin: string;
  logVerifierKeys: string[];
  tools: WitnessTools;
}): PreparedWitness {
  const { dir, tools } = options;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, 'witness-key');
  if (!fs.existsSync(keyFile)) run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', options.name, '-f', keyFile]);
  const fingerprint = run('ssh-keygen', ['-l', '-f', `${keyFile}.pub`]).split(' ')[1]!;
  // The public key file: "ssh-ed25519 <base64 of (string "ssh-ed25519", string key)> comment".
  const blob = Buffer.from(fs.readFileSync(`${keyFile}.pub`, 'utf8').split(' ')[1]!, 'base64');
  const publicKey = blob.subarray(blob.length - 32);
  const db = path.join(dir, 'litewitness.db');
  const known = run(tools.witnessctl, ['list-logs', '-db', db])
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { origin: string; keys: Array<string | null> });
  const log = known.find((l) => l.origin === options.origin);
  if (!log) run(tools.witnessctl, ['add-log', '-db', db, '-origin', options.origin]);
  for (const key of options.logVerifierKeys)
    if (!log?.keys.includes(key)) run(tools.witnessctl, ['add-key', '-db', db, '-origin', options.origin, '-key', key]);
  return {
    name: options.name,
    dir,
    db,
    socket: path.join(dir, 'agent.sock'),
    keyFile,
    fingerprint,
    vkey: witnessVerifierKey(options.name, publicKey),
    tools,
  };
}

async function until(what: string, ready: () => boolean | Promise<boolean>, child: ChildProcess, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what}: exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what}: not ready within ${ms / 1000}s`);
    }
    await sleep(50);
  }
}

/** A dedicated ssh-agent in the foreground (-D), holding the witness key once it resolves. */
export async function startWitnessAgent(
  w: PreparedWitness,
  options: { detached?: boolean } = {},
): Promise<ChildProcess> {
  fs.rmSync(w.socket, { force: true });
  const child = spawn('ssh-agent', ['-D', '-a', w.socket], { stdio: 'ignore', detached: options.detached ?? false });
  await until('ssh-agent', () => fs.existsSync(w.socket), child);
  run('ssh-add', ['-q', w.keyFile], { ...process.env, SSH_AUTH_SOCK: w.socket });
  return child;
}

export async function startLitewitness(
  w: PreparedWitness,
  options: { port: number; logFile?: string; detached?: boolean },
): Promise<ChildProcess> {
  const args = ['-db', w.db, '-name', w.name, '-key', w.fingerprint, '-ssh-agent', w.socket];
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(w.tools.litewitness, [...args, '-listen', `127.0.0.1:${options.port}`], {
    stdio: ['ignore', out, out],
    detached: options.detached ?? false,
  });
  if (typeof out === 'number') fs.closeSync(out);
  await until(`litewitness on port ${options.port}`, () => isPortOpen(options.port), child);
  return child;
}

export interface LocalWitness {
  url: string;
  vkey: string;
  /** LOG_WITNESSES's entry for it. */
  entry: string;
  prepared: PreparedWitness;
  stop(): Promise<void>;
}

/** Agent and litewitness together (tests, benches); `npm start` supervises the two itself. */
export async function startLocalWitness(options: {
  dir: string;
  name: string;
  origin: string;
  logVerifierKeys: string[];
  port: number;
  tools?: WitnessTools;
}): Promise<LocalWitness> {
  const prepared = prepareWitness({ ...options, tools: options.tools ?? (await ensureWitnessTools()) });
  const agent = await startWitnessAgent(prepared);
  let witness: ChildProcess;
  try {
    witness = await startLitewitness(prepared, {
      port: options.port,
      logFile: path.join(options.dir, 'litewitness.log'),
    });
  } catch (error) {
    await stopProcess(agent);
    throw error;
  }
  const url = `http://127.0.0.1:${options.port}`;
  return {
    url,
    vkey: prepared.vkey,
    entry: `${prepared.vkey}@${url}`,
    prepared,
    async stop() {
      await stopProcess(witness, 5_000);
      await stopProcess(agent, 5_000);
    },
  };
}
