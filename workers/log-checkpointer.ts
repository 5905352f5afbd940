/**
 * The log signer of a worker process: a new checkpoint within LOG_CHECKPOINT_DELAY of new leaves.
 *
 * Why a loop in the worker process rather than Temporal: a workflow ticking every second would
 * write a dozen history events a second forever (continue-as-new every few minutes) to do what
 * Postgres already tells us. Every transaction that appends leaves NOTIFYs on commit; each worker
 * LISTENs and, on a notification, signs, batched as Tessera does: at most one checkpoint per delay,
 * each covering every leaf integrated since the last. Several workers are safe: the signer's
 * transaction takes SIGNER_LOCK with try-lock, so one signs and the others look again one delay
 * later. Idle costs nothing but the listening connection and one two-row check every
 * `safetyPollMs` (a missed notification, e.g. while reconnecting, is caught there). The Schedule
 * (CHECKPOINT_INTERVAL) stays as the slow safety net for a cluster with no signer running.
 */
import pg from 'pg';
import type { Knex } from 'knex';
import { signLogHead, type LogDeps } from '../activities/log';
import { listenToAppends, LogIntegrityError, latestCheckpointSize, logSize } from '../db/log-store';

export interface CheckpointerOptions {
  deps: LogDeps & { log: NonNullable<LogDeps['log']> & { info(obj: object, msg: string): void } };
  /** Where to LISTEN (a dedicated connection, outside the pool). */
  databaseUrl: string;
  delayMs: number;
  /** How often to look even without a notification. */
  safetyPollMs?: number;
}

export interface Checkpointer {
  /** Asks for a checkpoint of whatever is new (what a notification does). */
  kick(): void;
  /** Resolves when nothing is pending and no signing is running (tests, benches). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

async function hasUnsignedLeaves(db: Knex): Promise<boolean> {
  const [size, signed] = await Promise.all([logSize(db), latestCheckpointSize(db)]);
  return size > signed;
}

export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { deps, delayMs } = options;
  const log = deps.log;
  let stopped = false;
  let pending = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let notBefore = 0;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = 1_000;
  let lastSupersededWarning = 0;
  const idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (pending || running || timer) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const schedule = () => {
    if (stopped || timer || running) return;
    timer = setTimeout(run, Math.max(0, notBefore - Date.now()));
  };

  const kick = () => {
    if (stopped) return;
    pending = true;
    schedule();
  };

  function run(): void {
    timer = null;
    pending = false;
    notBefore = Date.now() + delayMs;
    running = (async () => {
      try {
        if (!(await hasUnsignedLeaves(deps.db))) return;
        const result = await signLogHead(deps, { wait: false });
        // Another worker is signing; what it read may predate our leaves, so look again.
        if (result.kind === 'busy') pending = true;
        if (result.kind === 'superseded') {
          const now = Date.now();
          if (now - lastSupersededWarning > 60_000) {
            lastSupersededWarning = now;
            log.warn(
              { keyId: result.keyId },
              'the latest checkpoint is signed by a log key this worker does not know: a newer key is in use; restart this worker with it (or LOG_RETIRED_KEYS lacks a key)',
            );
          }
          notBefore = Date.now() + Math.max(delayMs, 5_000);
          pending = true;
        }
      } catch (error) {
        if (error instanceof LogIntegrityError) {
          log.error({ err: error }, 'log integrity failure: no checkpoint will be signed over this log');
          notBefore = Date.now() + 60_000;
        } else {
          log.warn({ err: error }, 'checkpoint signing failed; retrying');
          notBefore = Date.now() + Math.max(delayMs, 2_000);
        }
        pending = true;
      }
    })().finally(() => {
      running = null;
      if (pending && !stopped) schedule();
      settleIdle();
    });
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.databaseUrl });
    const retry = () => {
      if (stopped || listener !== client) return;
      listener = null;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => void listen(), reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 30_000);
    };
    listener = client;
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', kick);
    try {
      await client.connect();
      await listenToAppends(client);
      reconnectDelay = 1_000;
      kick(); // whatever was appended while nobody listened
    } catch (error) {
      log.warn({ err: error }, 'checkpointer cannot LISTEN; polling until it can');
      retry();
    }
  }

  void listen();
  const poll = setInterval(
    () => {
      if (!running && !timer) kick();
    },
    options.safetyPollMs ?? Math.max(10 * delayMs, 5_000),
  );
  poll.unref();

  return {
    kick,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      timer = null;
      pending = false;
      await running;
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners();
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
      }
      settleIdle();
    },
  };
}
