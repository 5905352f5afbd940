/**
 * `npm run bench -- --cluster`: L, whole lifecycles per second through the HTTP API, on the dev
 * server stack (`npm start`'s shape: the CLI's dev server on SQLite, one worker, one API) and on
 * `npm run cluster`'s (the Temporal server on Postgres, N workers, two APIs taking lifecycles in
 * turn), in one run: at each level the two take turns in rounds, so that other load on the
 * machine falls on both alike. Only the ratio means anything.
 *
 * The lifecycle is the bench's (submit, approve, assign, job, claim, start, 2 stages, 3 evidence,
 * complete; its end is the workflow's result), sent as a real client sends it: each command with an
 * Idempotency-Key, and sent again with the same key on a 503 (the API's answer when a command
 * is not answered in time under load), as the chaos run's client does. The 503s are counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINT_SCHEDULE_ID } from '../../orchestration/log-checkpoint-schedule';
import { ESCALATION_SCHEDULE_ID } from '../../orchestration/escalation-schedule';
import type { Client } from '@temporalio/client';
import type { Principal } from '../../domain/schemas';
import { connectTemporal } from '../../adapters/temporal-connection';
import { startIsolatedCluster, startIsolatedStack } from '../isolated-stack';
import { intakeWorkflowId } from '../../workflows/messages';
import { ImpatientFetch, unavailable } from '../chaos/client';
import { drive, planFor } from '../chaos/lifecycle';
import { machine } from './report';
import { closedLoop } from './stats';

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
  /** 503s answered and retried, per system. */
  devRetried: number;
  clusterRetried: number;
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
  // Half of Temporal's default pools: the machine's Postgres (100 connections) is shared.
  const cluster = await startIsolatedCluster({
    tls: false,
    workers: options.workers,
    apis: 2,
    env,
    sqlMaxConns: 10,
  }).catch(async (error: unknown) => {
    await dev.stop();
    throw error;
  });
  const devTemporal = await connectTemporal(dev.config);
  try {
    // The Schedules' own runs would land in the middle of the measurements.
    for (const client of [devTemporal.client, cluster.client])
      for (const id of [ESCALATION_SCHEDULE_ID, CHECKPOINT_SCHEDULE_ID])
        await client.schedule.getHandle(id).pause('npm run bench is measuring');
    const clientFor = (baseUrl: string) => ({
      baseUrl,
      impatient: new ImpatientFetch({ timeoutMs: 60_000, duplicateRate: 0, deadlineMs: 300_000, random: Math.random }),
    });
    type Api = ReturnType<typeof clientFor>;
    let index = 0;
    const lifecycle = async (api: Api, token: (p: Principal) => Promise<string>, client: Client) => {
      const plan = { ...planFor(index++, runId), ending: 'completed' as const };
      const driven = await drive(plan, { baseUrl: api.baseUrl, fetch: api.impatient.fetch, token });
      if (driven.anomalies.length > 0 || !driven.intakeId)
        throw new Error(`lifecycle ${plan.index}: ${driven.anomalies.join('; ')}`);
      await client.workflow.getHandle(intakeWorkflowId(driven.intakeId)).result();
    };
    const devApi = clientFor(dev.baseUrl);
    const clusterApis = cluster.apiUrls.map(clientFor);
    const systems = [
      {
        name: 'dev' as const,
        apis: [devApi],
        one: () => lifecycle(devApi, dev.token, devTemporal.client),
      },
      {
        name: 'cluster' as const,
        apis: clusterApis,
        // A round-robin balancer in front of the APIs: each lifecycle goes to the next one.
        one: () => lifecycle(clusterApis[index % clusterApis.length]!, (p) => cluster.token(p), cluster.client),
      },
    ];
    const retried = (sys: (typeof systems)[number]) =>
      sys.apis.reduce((n, api) => n + unavailable(api.impatient.stats), 0);
    for (const sys of systems) await closedLoop(8, 4, () => sys.one());

    const rows: Row[] = [];
    for (const c of options.concurrency) {
      const chunk = Math.max(Math.ceil(options.lifecycles / options.rounds), 3 * c);
      const acc = new Map(systems.map((s) => [s.name, { done: 0, seconds: 0, retried: 0 }]));
      for (let round = 0; round < options.rounds; round += 1) {
        for (const sys of round % 2 === 0 ? systems : [...systems].reverse()) {
          const a = acc.get(sys.name)!;
          const before = retried(sys);
          const result = await closedLoop(chunk, c, () => sys.one());
          a.done += result.window.done;
          a.seconds += result.window.seconds;
          a.retried += retried(sys) - before;
        }
      }
      const rate = (name: 'dev' | 'cluster') => acc.get(name)!.done / acc.get(name)!.seconds;
      rows.push({
        concurrency: c,
        lifecycles: chunk * options.rounds,
        dev: rate('dev'),
        cluster: rate('cluster'),
        devRetried: acc.get('dev')!.retried,
        clusterRetried: acc.get('cluster')!.retried,
      });
      log(`  c=${c}: dev ${rate('dev').toFixed(2)}/s, cluster ${rate('cluster').toFixed(2)}/s`);
    }

    const m = machine();
    const lines = [
      `QTM OS bench --cluster · ${String(m.cores)} cores, ${String(m.memoryGiB)} GiB · ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`,
      `dev: temporal server start-dev (SQLite), 1 worker, 1 API · cluster: Temporal server 1.29.1 on Postgres, ${options.workers} workers, 2 APIs`,
      '',
      '| c | lifecycles each | L dev (/s) | L cluster (/s) | cluster/dev | 503s retried dev | 503s retried cluster |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.concurrency} | ${r.lifecycles} | ${r.dev.toFixed(2)} | ${r.cluster.toFixed(2)} | ${(r.cluster / r.dev).toFixed(2)} | ${r.devRetried} | ${r.clusterRetried} |`,
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
  } catch (error) {
    // The services' own error lines say which stack failed and why.
    const errors = (text: string) => text.split('\n').filter((l) => /"level":50|ERROR/.test(l));
    const devLog = path.join(dev.dir, 'api.log');
    for (const line of errors(fs.existsSync(devLog) ? fs.readFileSync(devLog, 'utf8') : '').slice(-5))
      log(`dev api: ${line.slice(0, 1000)}`);
    for (const line of errors(cluster.output()).slice(-5)) log(`cluster: ${line.slice(0, 1000)}`);
    throw error;
  } finally {
    await devTemporal.connection.close();
    await cluster.stop();
    await dev.stop();
  }
}
