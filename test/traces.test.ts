/**
 * One trace from the HTTP request through the Temporal client, the workflow's Update handler and
 * the activity down to its SQL. The real entry points (api/main.ts, workers/main.ts) run as their
 * own processes with OTEL_EXPORTER_OTLP_ENDPOINT set, against the run's Temporal server and
 * Postgres, and export over OTLP (http/json) to a collector held in memory by this test.
 * (In-process under jest the instrumentations could not patch express and pg: jest loads
 * modules through its own registry, past the require hook they rely on.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { issueToken } from '../api/auth';
import { loadConfig } from '../config';
import { stopProcess } from '../stack/temporal-cli';
import { loadAuthSecret } from '../trust/keys';
import { admin, requestBody } from './support/fixtures';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..');

interface Span {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
const attributeMap = (attributes: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );

/** An OTLP/HTTP (JSON) trace collector that keeps every span it is sent. */
async function startCollector(): Promise<{ url: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const request = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: OtlpValue }[] };
            scopeSpans: { scope: { name: string }; spans: Omit<Span, 'service' | 'scope' | 'attributes'>[] }[];
          }[];
        };
        for (const resourceSpans of request.resourceSpans) {
          const service = String(attributeMap(resourceSpans.resource.attributes)['service.name']);
          for (const { scope, spans: list } of resourceSpans.scopeSpans)
            for (const span of list)
              spans.push({
                ...span,
                parentSpanId: span.parentSpanId ?? '',
                service,
                scope: scope.name,
                attributes: attributeMap((span as { attributes?: { key: string; value: OtlpValue }[] }).attributes),
              });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts an entry point and resolves with its process and the log line that says it is ready. */
function startEntry(entry: string, env: Record<string, string>, ready: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const line = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not get ready:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const text of output.split('\n')) {
        if (!text.includes(`"msg":"${ready}`)) continue;
        clearTimeout(timer);
        resolve(JSON.parse(text) as Record<string, unknown>);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
  return { child, line, output: () => output };
}

let collector: Awaited<ReturnType<typeof startCollector>>;
const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => stopProcess(child)));
  await collector?.close();
});

test('one HTTP command is one trace across API and worker: HTTP → Update → handler → activity → SQL', async () => {
  collector = await startCollector();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: process.env.DATABASE_URL!,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: `traces-${randomUUID()}`,
    DATA_DIR: process.env.DATA_DIR!,
    PORT: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  };
  const worker = startEntry('workers/main.ts', env, 'worker started');
  const api = startEntry('api/main.ts', env, 'api listening');
  children.push(worker.child, api.child);
  const [workerReady, apiReady] = await Promise.all([worker.line, api.line]);
  expect({ worker: workerReady.tracing, api: apiReady.tracing }).toEqual({ worker: true, api: true });

  const config = loadConfig(env);
  const token = await issueToken(
    { secret: await loadAuthSecret(config), issuer: config.AUTH_JWT_ISSUER },
    admin('tracer'),
  );
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${apiReady.url as string}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const submitted = await post('/v1/requests', requestBody());
  expect(submitted.status).toBe(201);
  const approved = await post(`/v1/tasks/${submitted.body.taskId}/approve`, { note: 'traced' });
  expect(approved.status).toBe(200);

  // A graceful stop flushes what each process still buffers.
  await Promise.all([stopProcess(api.child), stopProcess(worker.child)]);

  const spans = collector.spans;
  const http = spans.find(
    (s) => s.service === 'qtm-api' && s.kind === 2 && s.attributes['http.route'] === '/v1/tasks/:id/approve',
  );
  expect(http).toBeDefined();
  const trace = spans.filter((s) => s.traceId === http!.traceId);
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const ancestry = (span: Span): Span[] => {
    const chain = [span];
    for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
    return chain;
  };
  const summary = (list: Span[]) => list.map((s) => `${s.service}: ${s.name}`);

  expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['qtm-api', 'qtm-worker']));
  expect(trace.map((s) => s.name)).toEqual(
    expect.arrayContaining([
      http!.name,
      'StartWorkflowUpdate:approve',
      'HandleUpdate:approve',
      expect.stringMatching(/^RunActivity:/),
    ]),
  );
  // The activity's SQL, linked all the way up to the HTTP request (no orphaned piece of the trace).
  const activitySql = trace.filter(
    (s) =>
      s.service === 'qtm-worker' &&
      s.scope === '@opentelemetry/instrumentation-pg' &&
      ancestry(s).some((a) => a.name.startsWith('RunActivity:')),
  );
  expect(activitySql.length).toBeGreaterThan(0);
  const chain = ancestry(activitySql[0]!);
  expect(summary(chain)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^qtm-worker: RunActivity:/),
      'qtm-worker: HandleUpdate:approve',
      'qtm-api: StartWorkflowUpdate:approve',
      `qtm-api: ${http!.name}`,
    ]),
  );
  expect(chain.at(-1)).toBe(http);
  // Statements without their parameter values.
  expect(activitySql.every((s) => s.attributes['db.query.parameter.0'] === undefined)).toBe(true);
});
