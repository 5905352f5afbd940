/**
 * Read scaling: p99 of the read endpoints with 1,000 and then 100,000 sealed lifecycles in the
 * database. The reads get a database of their own (seeded in bulk) and an API process of their
 * own on it, so the lifecycles the other phases ran do not blur the two sizes.
 */
import { qtmClient, reasonOf } from '../../client';
import { loadConfig, type Config } from '../../config';
import { createDb, dropDatabase, migrate } from '../../db';
import type { Principal } from '../../domain/schemas';
import { NodeService } from '../../stack/processes';
import { freePort } from '../../stack/temporal-cli';
import { seedLifecycles, seededId } from './seed-sealed';
import { closedLoop, percentiles, sleep, timed, type Percentiles } from './stats';

export interface ReadOptions {
  sizes: number[];
  samples: number;
  concurrency: number;
  /** Postgres URL (owner) of a database to create for the reads, dropped at the end. */
  databaseUrl: string;
  /** Environment of the API process (Temporal, secrets, data folder); DATABASE_URL and PORT are set here. */
  apiEnv: Record<string, string>;
  logFile: string;
  token: (p: Principal) => Promise<string>;
  log: (line: string) => void;
}

export interface ReadFigures {
  size: number;
  seedSeconds: number;
  endpoints: Record<string, Percentiles>;
}

const ADMIN: Principal = { sub: 'bench-reads-admin', role: 'admin' };
const OPEN_QUEUED = 2_000; // 40 open jobs per operator
const OPEN_PENDING = 80; // 40 pending admin tasks

export async function readScaling(options: ReadOptions): Promise<ReadFigures[]> {
  const { log } = options;
  const config: Config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: options.databaseUrl });
  await migrate(config);
  const owner = createDb(config, { as: 'owner', poolMax: 2 });
  const port = await freePort();
  const api = new NodeService(
    'api-reads',
    'api/main.ts',
    { ...options.apiEnv, DATABASE_URL: options.databaseUrl, PORT: String(port) },
    options.logFile,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = await options.token(ADMIN);
  const asAdmin = qtmClient({ baseUrl, token: () => token });
  const out: ReadFigures[] = [];
  try {
    const now = Date.now();
    // The open work every size shares: queues and pending lists hold the same items at both sizes.
    await seedLifecycles(owner, 'queued', 1_000_001, 1_000_001 + OPEN_QUEUED, new Date(now - 86_400_000));
    await seedLifecycles(owner, 'pending', 2_000_001, 2_000_001 + OPEN_PENDING, new Date(now - 43_200_000));
    api.start();
    await waitReady(baseUrl);
    let seeded = 0;
    for (const size of options.sizes) {
      const started = performance.now();
      // Sealed work is older than the open work, 10 s apart.
      await seedLifecycles(owner, 'sealed', seeded + 1, size + 1, new Date(now - 400 * 86_400_000));
      await owner.raw('ANALYZE');
      const seedSeconds = (performance.now() - started) / 1000;
      seeded = size;
      log(`  reads: ${size.toLocaleString('en')} sealed lifecycles (seeded in ${seedSeconds.toFixed(1)} s)`);
      const endpoints: Record<string, Percentiles> = {};
      const reads: Record<string, () => Promise<{ error?: unknown; response: Response }>> = {
        'GET operator queue': () =>
          asAdmin.GET('/v1/operators/{operatorId}/queue', { params: { path: { operatorId: 'op-read-0' } } }),
        'GET task list': () => asAdmin.GET('/v1/tasks'),
        'GET task list (pending)': () => asAdmin.GET('/v1/tasks', { params: { query: { status: 'pending' } } }),
        'GET record': () =>
          asAdmin.GET('/v1/records/{id}', {
            params: { path: { id: seededId('record', 1 + Math.floor(Math.random() * size)) } },
          }),
      };
      for (const [name, read] of Object.entries(reads)) {
        const get = async () => {
          const { error, response } = await read();
          if (response.status !== 200) throw new Error(`${name}: ${reasonOf(error, response)}`);
        };
        await closedLoop(Math.min(200, options.samples), options.concurrency, get); // warm caches and the pool
        const samples: number[] = [];
        await closedLoop(options.samples, options.concurrency, () => timed(samples, get).then(() => undefined));
        endpoints[name] = percentiles(samples);
      }
      out.push({ size, seedSeconds, endpoints });
    }
  } finally {
    await api.stop();
    await owner.destroy();
    await dropDatabase(options.databaseUrl);
  }
  return out;
}

async function waitReady(baseUrl: string): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    if (
      await fetch(`${baseUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(250);
  }
  throw new Error(`the reads API at ${baseUrl} did not become ready`);
}
