/**
 * `npm run bench -- --cluster`: L, whole lifecycles per second through the HTTP API, on the dev
 * server stack (`npm start`'s shape: the CLI's dev server on SQLite, one worker, one API) and on
 * `npm run cluster`'s (the Temporal server on Postgres, N workers, two APIs taking lifecycles in
 * turn), in one run: at each level the two take turns in rounds, so that other load on the
 * machine falls on both alike. Only the ratio means anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINT_SCHEDULE_ID } from '../../lib/checkpoint-schedule';
import { ESCALATION_SCHEDULE_ID } from '../../lib/escalation-schedule';
import { connectTemporal } from '../../lib/temporal';
import { startIsolatedCluster, startIsolatedStack } from '../isolated-stack';
import { castFor, commandSamples, httpLifecycle, type HttpTarget, type Latencies } from './lifecycle';
import { machine } from './report';
import { closedLoop, percentiles } from './stats';

export interface ClusterCompareOptions {
  concurrency: number[];
  /** Lifecycles per system and level (at least 3 × the level), split into rounds. */
  lifecycles: number;
  rounds: number;
  workers: number;
  out?: string;
  log: (line: string) => void;
}

interface Row {
  concurrency: number;
  lifecycles: number;
  dev: number;
  cluster: number;
  devP99: number;
  clusterP99: number;
}

export async function clusterCompare(options: ClusterCompareOptions): Promise<string> {
  const { log } = options;
  const startedAt = new Date();
  const runId = Math.random().toString(36).slice(2, 8);
  log(`bench --cluster: the dev server stack and npm run cluster (${options.workers} workers, 2 APIs), side by side`);
  // Like `npm start`'s dev server: its state in a SQLite file.
  const dev = await startIsolatedStack({ name: 'bench', log, temporalDbFile: true });
  // The pool size every process has by default (the cluster test runs with smaller pools).
  const env = { DATABASE_POOL_MAX: '10' };
  const cluster = await startIsolatedCluster({ tls: false, workers: options.workers, apis: 2, env }).catch(
    async (error: unknown) => {
      await dev.stop();
      throw error;
    },
  );
  const devTemporal = await connectTemporal(dev.config);
  try {
    // The Schedules' own runs would land in the middle of the measurements.
    for (const client of [devTemporal.client, cluster.client])
      for (const id of [ESCALATION_SCHEDULE_ID, CHECKPOINT_SCHEDULE_ID])
        await client.schedule.getHandle(id).pause('npm run bench is measuring');
    const devTarget: HttpTarget = { baseUrl: dev.baseUrl, token: dev.token, client: devTemporal.client };
    const clusterTargets: HttpTarget[] = cluster.apiUrls.map((baseUrl) => ({
      baseUrl,
      token: (p) => cluster.token(p),
      client: cluster.client,
    }));
    let index = 0;
    const systems = [
      { name: 'dev' as const, one: (lat: Latencies) => httpLifecycle(devTarget, index, castFor(index++, runId), lat) },
      {
        name: 'cluster' as const,
        // A round-robin balancer in front of the APIs: each lifecycle goes to the next one.
        one: (lat: Latencies) =>
          httpLifecycle(clusterTargets[index % clusterTargets.length]!, index, castFor(index++, runId), lat),
      },
    ];
    for (const sys of systems) await closedLoop(8, 4, async () => void (await sys.one(new Map())));

    const rows: Row[] = [];
    for (const c of options.concurrency) {
      const chunk = Math.max(Math.ceil(options.lifecycles / options.rounds), 3 * c);
      const acc = new Map(systems.map((s) => [s.name, { done: 0, seconds: 0, latencies: new Map() as Latencies }]));
      for (let round = 0; round < options.rounds; round += 1) {
        for (const sys of round % 2 === 0 ? systems : [...systems].reverse()) {
          const a = acc.get(sys.name)!;
          const result = await closedLoop(chunk, c, async () => void (await sys.one(a.latencies)));
          a.done += result.window.done;
          a.seconds += result.window.seconds;
        }
      }
      const rate = (name: 'dev' | 'cluster') => acc.get(name)!.done / acc.get(name)!.seconds;
      const p99 = (name: 'dev' | 'cluster') => percentiles(commandSamples(acc.get(name)!.latencies)).p99;
      rows.push({
        concurrency: c,
        lifecycles: chunk * options.rounds,
        dev: rate('dev'),
        cluster: rate('cluster'),
        devP99: p99('dev'),
        clusterP99: p99('cluster'),
      });
      log(`  c=${c}: dev ${rate('dev').toFixed(2)}/s, cluster ${rate('cluster').toFixed(2)}/s`);
    }

    const m = machine();
    const lines = [
      `QTM OS bench --cluster · ${String(m.cores)} cores, ${String(m.memoryGiB)} GiB · ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`,
      `dev: temporal server start-dev (SQLite), 1 worker, 1 API · cluster: Temporal server 1.29.1 on Postgres, ${options.workers} workers, 2 APIs`,
      '',
      '| c | lifecycles each | L dev (/s) | L cluster (/s) | cluster/dev | command p99 dev (ms) | command p99 cluster (ms) |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.concurrency} | ${r.lifecycles} | ${r.dev.toFixed(2)} | ${r.cluster.toFixed(2)} | ${(r.cluster / r.dev).toFixed(2)} | ${r.devP99.toFixed(0)} | ${r.clusterP99.toFixed(0)} |`,
      ),
    ];
    const out =
      options.out ?? path.join('bench-results', `bench-cluster-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify({ startedAt: startedAt.toISOString(), machine: m, workers: options.workers, rows }, null, 2)}\n`,
    );
    return `${lines.join('\n')}\n\nfigures: ${out}`;
  } finally {
    await devTemporal.connection.close();
    await cluster.stop();
    await dev.stop();
  }
}
