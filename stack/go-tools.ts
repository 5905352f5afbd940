/**
 * Pinned Go tools (the temporal CLI, the Temporal server and its SQL tool, the litewitness
 * witness), each built once from its Go module into the project's git-ignored .tools/bin.
 * A build streams `go install -x` as one line per module fetched or package compiled, so a
 * first build (minutes) shows where it is; a later one comes from Go's caches (mostly a link).
 * A stamp file beside each binary names the module version it was built from, so a binary is
 * never rebuilt while it is current and always rebuilt when the pin moves.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..');
export const toolsBin = path.join(projectRoot, '.tools', 'bin');

export interface GoTool {
  /** The binary's file name in .tools/bin. */
  binary: string;
  /** Module path of the main package, without a version. */
  module: string;
  /** The pinned version, without the leading v. */
  version: string;
  ldflags?: string;
  /** The name `go install` gives the binary (its package's folder), when that is not `binary`. */
  installedAs?: string;
  /** Accepts a binary found elsewhere (e.g. on PATH) by what it reports with `--version`. */
  acceptsVersionOutput?: (output: string) => boolean;
}

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);

const stampOf = (tool: GoTool) => path.join(toolsBin, `${tool.binary}.version`);
const moduleAt = (tool: GoTool) => `${tool.module}@v${tool.version}`;

export function versionOutput(binary: string): string | null {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

function isCurrent(tool: GoTool, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  if (fs.existsSync(stampOf(tool))) return fs.readFileSync(stampOf(tool), 'utf8').trim() === moduleAt(tool);
  // Built before stamps existed: trust what it says of itself.
  const said = tool.acceptsVersionOutput ? versionOutput(file) : null;
  return said !== null && tool.acceptsVersionOutput!(said);
}

function onPath(tool: GoTool): string | null {
  if (!tool.acceptsVersionOutput) return null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, tool.binary);
    const said = dir && fs.existsSync(candidate) ? versionOutput(candidate) : null;
    if (said !== null && tool.acceptsVersionOutput(said)) return candidate;
  }
  return null;
}

/** Returns the path of the pinned binary, building it when there is none. */
export async function ensureGoTool(tool: GoTool, log: Log = stderrLog, signal?: AbortSignal): Promise<string> {
  const local = path.join(toolsBin, tool.binary);
  if (isCurrent(tool, local)) return local;
  const found = onPath(tool);
  if (found) return found;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(`no ${tool.binary} ${tool.version} and no Go toolchain to build it: install Go 1.25+`);
  }
  log(
    `${tool.binary} ${tool.version}: building from its Go module into .tools/bin (${go.stdout.trim()}; ` +
      `the first build downloads modules and compiles for minutes, later builds come from Go's caches)...`,
  );
  fs.mkdirSync(toolsBin, { recursive: true });
  // A binary to be renamed is installed into a folder of its own first, so no other tool's name is touched.
  const gobin = tool.installedAs ? fs.mkdtempSync(path.join(toolsBin, `.${tool.binary}-`)) : toolsBin;
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const counts = { compile: 0, fetch: 0 };
  const tail: string[] = [];
  const args = ['install', '-x', ...(tool.ldflags ? ['-ldflags', tool.ldflags] : []), moduleAt(tool)];
  const build = spawn('go', args, {
    env: { ...process.env, GOBIN: gobin },
    stdio: ['ignore', 'inherit', 'pipe'],
    // With an abort signal the caller owns stopping: go and its compilers are one process group.
    detached: signal !== undefined,
  });
  const abort = () => {
    try {
      if (build.pid !== undefined && build.exitCode === null) process.kill(-build.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal?.addEventListener('abort', abort, { once: true });
  let partial = '';
  build.stderr.setEncoding('utf8');
  build.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const step = progressOf(line, tool.binary);
      if (step?.kind === 'link') log(`[go ${elapsed()}] link ${step.what}`);
      else if (step) log(`[go ${elapsed()}] ${step.kind} #${++counts[step.kind]} ${step.what}`);
      else if (!line.startsWith('\t') && !line.startsWith('mkdir') && !line.startsWith('cd ') && line.trim() !== '') {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    build.once('error', reject);
    build.once('close', (status) => resolve(status));
  });
  signal?.removeEventListener('abort', abort);
  if (tool.installedAs && fs.existsSync(path.join(gobin, tool.installedAs)) && code === 0 && !signal?.aborted)
    fs.renameSync(path.join(gobin, tool.installedAs), local);
  if (tool.installedAs) fs.rmSync(gobin, { recursive: true, force: true });
  if (signal?.aborted) throw new Error(`${tool.binary} build stopped`);
  if (code !== 0) throw new Error(`go install ${moduleAt(tool)} failed (exit ${code}):\n${tail.slice(-20).join('\n')}`);
  if (!fs.existsSync(local)) throw new Error(`go install ${moduleAt(tool)} finished but ${local} is not there`);
  fs.writeFileSync(stampOf(tool), `${moduleAt(tool)}\n`);
  log(
    `${tool.binary} ${tool.version} ready at ${local} ` +
      `(${counts.compile} packages compiled, ${counts.fetch} module fetches, ${elapsed()})`,
  );
  return local;
}

/** One `go build -x` line, reduced to what a person wants to see scroll by. */
function progressOf(line: string, binary: string): { kind: 'compile' | 'fetch' | 'link'; what: string } | null {
  if (line.startsWith('# get ') && !line.includes(': '))
    return { kind: 'fetch', what: line.slice('# get '.length).replace(/^https?:\/\/[^/]+\//, '') };
  if (/\/(compile|asm) /.test(line) || line.includes('/compile" ')) {
    const pkg = / -p (\S+)/.exec(line);
    return pkg ? { kind: 'compile', what: pkg[1]! } : null;
  }
  if (/\/link /.test(line)) return { kind: 'link', what: binary };
  return null;
}

/** The C2SP tlog-witness that `npm start` runs as the log's local witness, and its database tool. */
export const TORCHWOOD_VERSION = '0.6.1';
export const LITEWITNESS: GoTool = {
  binary: 'litewitness',
  module: 'filippo.io/torchwood/cmd/litewitness',
  version: TORCHWOOD_VERSION,
};
export const WITNESSCTL: GoTool = {
  binary: 'witnessctl',
  module: 'filippo.io/torchwood/cmd/witnessctl',
  version: TORCHWOOD_VERSION,
};

// The Temporal server and its SQL schema tool, pinned to the server the pinned CLI embeds (1.29.1):
// `npm run cluster` runs them on Postgres. Renamed on install so they read as what they are.
export const TEMPORAL_SERVER: GoTool = {
  binary: 'temporal-server',
  installedAs: 'server',
  module: 'go.temporal.io/server/cmd/server',
  version: '1.29.1',
};
export const TEMPORAL_SQL_TOOL: GoTool = {
  binary: 'temporal-sql-tool',
  installedAs: 'sql',
  module: 'go.temporal.io/server/cmd/tools/sql',
  version: '1.29.1',
};
/** The Temporal Web UI's server, the release the pinned CLI embeds (UI 2.42.1), for the cluster. */
export const TEMPORAL_UI_SERVER: GoTool = {
  binary: 'temporal-ui-server',
  installedAs: 'server',
  module: 'github.com/temporalio/ui-server/v2/cmd/server',
  version: '2.42.1',
};
