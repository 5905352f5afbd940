/**
 * What `npm start` (stack/dev.ts) and `npm run cluster` (stack/cluster.ts) run their children
 * with: named services, each supervised and recorded in a state file; start-up steps that give
 * up once a stop is asked for; a stop in order on the first Ctrl-C and a kill on the second; and
 * the Node services (APIs, workers) with their output relayed here line by line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { formatLogLine } from './log-format';
import { StateFile } from './state-file';
import { formatMs, Supervised, type ServiceSpec } from './supervisor';
import { projectRoot } from './temporal-cli';

/** A start-up failure that is fully described by its message: printed as one line. */
export class StartupError extends Error {}

export interface SupervisedStackOptions {
  /** Its lines read `[tag] …`. */
  tag: string;
  /** What the last line says is no longer running ("stack", "cluster"). */
  what: string;
  /** Kinds of service, stopped in this order; numbered ones of a kind (worker-1, worker-2) stop together. */
  stopOrder: readonly string[];
  /** The longest name of a Node service: their output's prefixes line up. */
  nameWidth: number;
}

export class SupervisedStack {
  readonly services = new Map<string, Supervised>();
  readonly log: (line: string) => void;
  private readonly abortController = new AbortController();
  private stopping = false;
  private firstSignalAt = 0;
  private state: StateFile | null = null;
  private stateInfo: Record<string, unknown> | undefined;

  constructor(private readonly options: SupervisedStackOptions) {
    this.log = (line) => process.stdout.write(`[${options.tag}] ${line}\n`);
  }

  /** Aborted on the first stop signal: a long start-up step (a tool's build) stops early. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Runs `main` with the signal handlers installed; a failure is reported and stops everything. */
  run(main: () => Promise<void>): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, (s) => this.onSignal(s));
    main().catch((error: unknown) => {
      if (this.stopping) return;
      const message = error instanceof StartupError ? error.message : (error as Error).message || String(error);
      process.stderr.write(`[${this.options.tag}] error: ${message}\n`);
      if (!(error instanceof StartupError) && process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      void this.shutdown(1);
    });
  }

  /** Takes over the state file: refuses to run beside a live supervisor, stops a killed one's leftovers. */
  async recordIn(state: StateFile): Promise<void> {
    const refused = await state.clearLeftovers();
    if (refused) throw new StartupError(refused);
    this.state = state;
    this.writeState();
  }

  /** Recorded in the state file beside the children, for its readers (measure/, test/cluster/). */
  setStateInfo(info: Record<string, unknown>): void {
    this.stateInfo = info;
    this.writeState();
  }

  supervise(spec: ServiceSpec): Supervised {
    const service = new Supervised(
      spec,
      this.log,
      (reason) => {
        this.log(reason);
        void this.shutdown(1);
      },
      () => this.writeState(),
    );
    this.services.set(spec.name, service);
    return service;
  }

  /** An API or a worker: `entry` run by tsx, its output relayed here. */
  superviseNode(name: string, entry: string, env: NodeJS.ProcessEnv): Supervised {
    return this.supervise(nodeService(name, entry, env, this.options.nameWidth));
  }

  /** Polls `check` (true, or why not yet) until it holds; gives up at the timeout or on a stop. */
  async waitFor(what: string, timeoutMs: number, check: () => Promise<string | true>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (this.stopping) throw new StartupError('stopped');
      const result = await check().catch((error: unknown) => (error as Error).message);
      if (result === true) return;
      last = result;
      if (Date.now() > deadline) throw new StartupError(`${what} within ${formatMs(timeoutMs)} (last: ${last})`);
      await sleep(500);
    }
  }

  async shutdown(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abortController.abort();
    for (const kind of this.options.stopOrder) {
      const group = [...this.services].filter(([name]) => name.replace(/-\d+$/, '') === kind);
      for (const [name, service] of group)
        if (service.pid !== undefined) this.log(`stopping ${name} (pid ${service.pid})`);
      await Promise.all(group.map(([, service]) => service.stop()));
    }
    this.state?.remove();
    if (this.services.size > 0)
      this.log(code === 0 ? `stopped; nothing of the ${this.options.what} is left running` : 'stopped');
    process.exit(code);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (!this.stopping) {
      this.firstSignalAt = Date.now();
      this.log(`${signal}: stopping everything (press Ctrl-C again to force)`);
      void this.shutdown(0);
      return;
    }
    // One Ctrl-C arrives more than once: from the terminal, and relayed by npm (and stack/start.mjs).
    if (Date.now() - this.firstSignalAt < 1_000) return;
    this.log(`${signal} again: killing what is left`);
    for (const service of this.services.values()) service.kill();
    this.state?.remove();
    process.exit(130);
  }

  private writeState(): void {
    this.state?.write(
      [...this.services].map(([name, service]) => ({ name, pid: service.pid })),
      this.stateInfo,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The API and worker processes: TypeScript loaded by tsx in one Node process each, output prefixed.

const guard = path.join(__dirname, 'exit-with-parent.js');

/** Relays a child's output line by line, each line formatted and prefixed with its name. */
function relay(child: ChildProcess, name: string, nameWidth: number): void {
  const prefix = `${name.padEnd(nameWidth)} | `;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${formatLogLine(line)}\n`);
    });
    stream.on('end', () => {
      if (partial) process.stdout.write(`${prefix}${formatLogLine(partial)}\n`);
    });
  }
}

function nodeService(name: string, entry: string, env: NodeJS.ProcessEnv, nameWidth: number): ServiceSpec {
  return {
    name,
    start: async () => {
      const child = spawn(process.execPath, ['--require', guard, '--import', 'tsx', entry], {
        cwd: projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: true,
      });
      relay(child, name, nameWidth);
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return child;
    },
    // Both stop gracefully on SIGTERM: the API finishes in-flight requests, the worker its tasks.
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 30_000,
    // 78 (EX_CONFIG): the configuration is wrong; restarting would fail the same way.
    fatalExitCodes: [78],
  };
}
