/**
 * `npm run test:cluster`: QTM OS on the real Temporal server (Postgres persistence, SQL
 * visibility) with two workers and two APIs, as `npm run cluster` runs it, plain and with mTLS on
 * the frontend. The whole chain through each API; one lifecycle alternating between the APIs; an
 * Idempotency-Key replayed to the other API; a worker and the server SIGKILLed under load and
 * restarted by the supervisor, then `npm run reconcile` and `npm run verify-chain`; every query
 * of OPERATIONS.md; Ctrl-C leaving nothing behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { createDb } from '../../db';
import type { Principal } from '../../domain/schemas';
import { ImpatientFetch } from '../../measure/chaos/client';
import {
  drive,
  planFor,
  registerChaosOperators,
  type Connection as ApiConnection,
  type Driven,
} from '../../measure/chaos/lifecycle';
import { reconcile, waitForEnds } from '../../measure/chaos/reconcile';
import { verifySignal } from '../../trust/signal';
import { eventually, sleep } from '../support/eventually';
import { startCluster, type RunningCluster } from './cluster-process';

const operationsQueries = () =>
  [...fs.readFileSync(path.join(__dirname, '..', '..', 'OPERATIONS.md'), 'utf8').matchAll(/```text\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .filter(Boolean);

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Answer {
  status: number;
  body: any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** One API as an impatient client reaches it: every call retried with the same Idempotency-Key until definite. */
class Api {
  readonly impatient = new ImpatientFetch({
    timeoutMs: 30_000,
    duplicateRate: 0,
    deadlineMs: 240_000,
    random: Math.random,
  });

  constructor(
    readonly baseUrl: string,
    readonly token: (p: Principal) => Promise<string>,
  ) {}

  get connection(): ApiConnection {
    return { baseUrl: this.baseUrl, fetch: this.impatient.fetch, token: this.token };
  }

  async send(method: string, path: string, token: string, body?: unknown, key = randomUUID()): Promise<Answer> {
    const res = await this.impatient.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': key,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
}

const clients = (cluster: RunningCluster) => cluster.apiUrls.map((url) => new Api(url, (p) => cluster.token(p)));

/** A connection that sends each call to the next API in turn, and remembers which one got which call. */
function alternating(apis: Api[]): { sent: number[]; connection: ApiConnection } {
  const sent: number[] = [];
  let next = 0;
  const send = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const i = next++ % apis.length;
    sent.push(i);
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.host = new URL(apis[i]!.baseUrl).host;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    return apis[i]!.impatient.fetch(url, { method: request.method, headers: request.headers, body });
  };
  return { sent, connection: { ...apis[0]!.connection, fetch: send as typeof fetch } };
}

describe.each([
  ['plain', false],
  ['mTLS', true],
] as const)('npm run cluster, %s', (_label, tls) => {
  let cluster: RunningCluster;
  let stopped: Awaited<ReturnType<RunningCluster['stop']>> | null = null;
  const runId = randomUUID().slice(0, 6);

  beforeAll(async () => {
    cluster = await startCluster({ tls });
  }, 660_000);
  afterAll(async () => {
    if (cluster && !stopped) await cluster.stop();
  }, 120_000);

  test('two APIs, two workers and the Web UI serve; with --tls only a client certificate gets in', async () => {
    expect(cluster.apiUrls).toHaveLength(2);
    for (const url of cluster.apiUrls) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const { pollers } = await cluster.connection.workflowService.describeTaskQueue({
      namespace: cluster.config.TEMPORAL_NAMESPACE,
      taskQueue: { name: cluster.config.TEMPORAL_TASK_QUEUE },
      taskQueueType: 1,
    });
    expect(new Set(pollers.map((p) => p.identity)).size).toBeGreaterThanOrEqual(2);
    // The Web UI's server reaches the frontend itself (with the client certificate under mTLS).
    const namespaces = (await (await fetch(`${cluster.uiUrl}/api/v1/namespaces`)).json()) as {
      namespaces: { namespaceInfo: { name: string } }[];
    };
    expect(namespaces.namespaces.map((n) => n.namespaceInfo.name)).toContain(cluster.config.TEMPORAL_NAMESPACE);

    const attempt = async (options: Parameters<typeof Connection.connect>[0]) => {
      const connection = await Connection.connect({ ...options, connectTimeout: 3_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return 'in';
      } catch {
        return 'refused';
      } finally {
        await connection.close();
      }
    };
    const refusedOrIn = (options: Parameters<typeof Connection.connect>[0]) => attempt(options).catch(() => 'refused');
    const address = cluster.config.TEMPORAL_ADDRESS;
    if (tls) {
      const ca = fs.readFileSync(cluster.env.TEMPORAL_TLS_SERVER_CA_CERT_PATH!);
      expect(await refusedOrIn({ address })).toBe('refused');
      expect(
        await refusedOrIn({ address, tls: { serverRootCACertificate: ca, serverNameOverride: 'localhost' } }),
      ).toBe('refused');
      expect(
        await refusedOrIn({
          address,
          tls: {
            serverRootCACertificate: ca,
            serverNameOverride: 'localhost',
            clientCertPair: {
              crt: fs.readFileSync(cluster.env.TEMPORAL_TLS_CLIENT_CERT_PATH!),
              key: fs.readFileSync(cluster.env.TEMPORAL_TLS_CLIENT_KEY_PATH!),
            },
          },
        }),
      ).toBe('in');
    } else {
      expect(await refusedOrIn({ address })).toBe('in');
    }
  });

  test('the banner names the TEMPORAL_TLS_* variables tools need under mTLS; reconcile needs them, and they suffice', () => {
    const line = /^ {2}mTLS +tools also need: (.+)$/m.exec(cluster.output());
    if (!tls) {
      expect(line).toBeNull();
      return;
    }
    const withoutTls = Object.fromEntries(Object.entries(cluster.env).filter(([k]) => !k.startsWith('TEMPORAL_TLS')));
    const fromBanner = Object.fromEntries(line![1]!.split(' ').map((pair) => pair.split('=') as [string, string]));
    expect(Object.keys(fromBanner).sort()).toEqual(
      Object.keys(cluster.env)
        .filter((k) => k.startsWith('TEMPORAL_TLS'))
        .sort(),
    );
    const refused = cluster.npmRun('reconcile', withoutTls);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/is not reachable/);
    expect(cluster.npmRun('reconcile', { ...withoutTls, ...fromBanner })).toEqual({
      status: 0,
      output: expect.stringMatching(/^reconcile: \d+ intakes, \d+ compared, 0 differences/m),
    });
  });

  test('the whole chain through each API: sealed, verified, its Signal valid', async () => {
    const apis = clients(cluster);
    await registerChaosOperators(`${runId}-each`, apis[0]!.connection);
    for (const [i, api] of apis.entries()) {
      const plan = planFor(i, `${runId}-each`);
      const driven = await drive({ ...plan, ending: 'completed' }, api.connection);
      expect(driven.anomalies).toEqual([]);
      const requesterToken = await cluster.token(plan.requester);
      const intake = await eventually(`intake ${driven.intakeId} sealed`, async () => {
        const answer = await api.send('GET', `/v1/intakes/${driven.intakeId}`, requesterToken);
        return answer.body.phase === 'sealed' && answer.body.signal ? answer.body : undefined;
      });
      const verified = await api.send('GET', `/v1/records/${intake.record.id}/verify`, requesterToken);
      expect(verified.body).toMatchObject({ valid: true, recordId: intake.record.id });
      const signal = await api.send('GET', `/v1/signals/${intake.signal.id}`, requesterToken);
      const jwks = await api.send('GET', '/.well-known/jwks.json', requesterToken);
      expect((await verifySignal(signal.body.jws, jwks.body)).valid).toBe(true);
    }
  });

  test('one lifecycle whose steps alternate between the two APIs', async () => {
    const apis = clients(cluster);
    const both = alternating(apis);
    await registerChaosOperators(`${runId}-alt`, both.connection);
    const plan = { ...planFor(1, `${runId}-alt`), ending: 'completed' as const };
    const driven = await drive(plan, both.connection);
    expect(driven.anomalies).toEqual([]);
    // submit, approve, assign, job, claim, start, 2 stages, 3 evidence, complete: at least 12 calls,
    // each on the other API than the one before, so half of them on each.
    expect(both.sent.length).toBeGreaterThanOrEqual(12);
    expect(Math.abs(both.sent.filter((i) => i === 0).length - both.sent.filter((i) => i === 1).length)).toBeLessThan(2);
    // Both APIs tell the same finished story.
    const token = await cluster.token(plan.requester);
    const views = await eventually('both APIs to show it sealed', async () => {
      const answers = await Promise.all(apis.map((api) => api.send('GET', `/v1/intakes/${driven.intakeId}`, token)));
      return answers.every((a) => a.body.phase === 'sealed' && a.body.signal) ? answers : undefined;
    });
    expect(views[0]!.body).toEqual(views[1]!.body);
  });

  test('an Idempotency-Key replayed to the other API gets the same answer and changes nothing', async () => {
    const [first, second] = clients(cluster);
    const alice: Principal = { sub: `cluster-${runId}-alice`, role: 'requester' };
    const boss: Principal = { sub: `cluster-${runId}-admin`, role: 'admin' };
    const [aliceToken, bossToken] = await Promise.all([cluster.token(alice), cluster.token(boss)]);
    const body = {
      channel: 'api',
      actor: { kind: 'business', name: 'Replay Ltd' },
      request: { category: 'maintenance', summary: 'Replayed across APIs' },
    };
    const key = randomUUID();
    const submitted = await first!.send('POST', '/v1/requests', aliceToken, body, key);
    expect(submitted.status).toBe(201);
    const replayed = await second!.send('POST', '/v1/requests', aliceToken, body, key);
    expect(replayed).toEqual(submitted);

    const approveKey = randomUUID();
    const approved = await second!.send(
      'POST',
      `/v1/tasks/${submitted.body.taskId}/approve`,
      bossToken,
      {},
      approveKey,
    );
    expect(approved.status).toBe(200);
    expect(await first!.send('POST', `/v1/tasks/${submitted.body.taskId}/approve`, bossToken, {}, approveKey)).toEqual(
      approved,
    );
    // One decision, not two: the replay was answered, not applied again.
    const task = await first!.send('GET', `/v1/tasks/${submitted.body.taskId}`, bossToken);
    expect(task.body.decisions.map((d: { kind: string }) => d.kind)).toEqual(['approve']);
  });

  test('SIGKILL of a worker and of the server under load, restarted by the supervisor: nothing lost, reconcile and verify-chain clean', async () => {
    const apis = clients(cluster);
    const both = alternating(apis);
    const lifecycles = 16;
    const driven: Driven[] = [];
    let next = 0;
    await registerChaosOperators(`${runId}-load`, both.connection);
    const load = Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < lifecycles) {
          const plan = planFor(next++, `${runId}-load`);
          driven.push(await drive(plan, both.connection));
        }
      }),
    );
    // Faults while lifecycles are in flight: after the first few have ended, then again later.
    await eventually('the first lifecycles to end', async () => (driven.length >= 2 ? true : undefined), 120_000);
    const worker = await cluster.killAndAwaitRestart('worker-1');
    expect(worker.after).not.toBe(worker.before);
    await eventually('more lifecycles to end', async () => (driven.length >= 6 ? true : undefined), 180_000);
    const server = await cluster.killAndAwaitRestart('temporal');
    expect(server.after).not.toBe(server.before);
    await load;
    expect(cluster.output()).toMatch(/worker-1 exited with signal SIGKILL/);
    expect(cluster.output()).toMatch(/temporal exited with signal SIGKILL/);
    expect(driven.flatMap((d) => d.anomalies)).toEqual([]);

    const owner = createDb(cluster.config, { as: 'owner', poolMax: 2 });
    try {
      await waitForEnds(owner, driven, 120_000);
      const result = await reconcile(owner, driven);
      expect({ lost: result.lost, duplicated: result.duplicated, chain: result.chain.valid }).toEqual({
        lost: [],
        duplicated: [],
        chain: true,
      });
      expect(result.reachedEnd).toBe(lifecycles);
    } finally {
      await owner.destroy();
    }

    const reconciled = cluster.npmRun('reconcile');
    // Every intake of the run compared against its workflow: no difference, none stalled.
    expect(reconciled).toEqual({
      status: 0,
      output: expect.stringMatching(/^reconcile: (\d+) intakes, \d+ compared, 0 differences, 0 stalled/m),
    });
    expect(Number(/^reconcile: (\d+) intakes/m.exec(reconciled.output)![1])).toBeGreaterThanOrEqual(lifecycles);
    const chain = cluster.npmRun('verify-chain');
    expect(chain).toEqual({ status: 0, output: expect.stringMatching(/^chain valid: \d+ records/m) });
  });

  test('every query OPERATIONS.md gives ops staff runs on SQL visibility; ORDER BY is refused there', async () => {
    const [api] = clients(cluster);
    const submitted = await api!.send(
      'POST',
      '/v1/requests',
      await cluster.token({ sub: 'ops-r', role: 'requester' }),
      {
        channel: 'api',
        actor: { kind: 'business', name: 'Waiting Ltd' },
        request: { category: 'maintenance', summary: 'Waits in governance' },
      },
    );
    expect(submitted.status).toBe(201);
    const queries = operationsQueries();
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const query of queries) {
      // SQL visibility rate-limits back-to-back queries (frontend.namespaceRPS.visibility, 10/s).
      await sleep(150);
      await expect(cluster.client.workflow.count(query)).resolves.toMatchObject({ count: expect.any(Number) });
      await sleep(150);
      for await (const wf of cluster.client.workflow.list({ query, pageSize: 10 })) {
        expect(wf.workflowId).toEqual(expect.any(String));
        break;
      }
    }
    const governance = queries.find((q) => q.includes(`QtmPhase = 'governance'`) && !q.includes('StartTime'))!;
    const ids = await eventually('visibility to index the waiting intake', async () => {
      const found: string[] = [];
      for await (const wf of cluster.client.workflow.list({ query: governance })) found.push(wf.workflowId);
      return found.includes(`intake-${submitted.body.intakeId}`) ? found : undefined;
    });
    expect(ids).toContain(`intake-${submitted.body.intakeId}`);
    // As OPERATIONS.md says: SQL visibility refuses ORDER BY.
    const sorted = await cluster.client.workflow.count(`WorkflowType = 'intakeWorkflow' ORDER BY StartTime DESC`).then(
      () => 'accepted',
      (error: Error & { cause?: Error }) => `${error.message}: ${error.cause?.message ?? ''}`,
    );
    expect(sorted).toMatch(/not supported: 'order by' clause/);
  });

  test('Ctrl-C stops all of it', async () => {
    stopped = await cluster.stop();
    expect(stopped).toEqual({ code: 0, leftovers: [] });
  }, 120_000);
});
