/**
 * The supervision `npm start` gives its children: a crashed child is restarted with a
 * doubling back-off, a configuration error is not retried, and stop() ends it for good.
 * Real child processes (plain node), a fast back-off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { formatLogLine } from '../../stack/log-format';
import { backoffDelay, Supervised, type BackoffPolicy, type ServiceSpec } from '../../stack/supervisor';

const fast: BackoffPolicy = { initialMs: 50, maxMs: 400, stableAfterMs: 60_000 };

function nodeChild(code: string): ChildProcess {
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore', detached: true });
}

/** A child that is usable once it says so (as the real services are once they answer). */
function readyChild(code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `${code}; process.stdout.write('ready\\n')`], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('back-off doubles from its first delay up to its ceiling', () => {
  expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n))).toEqual([
    1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
  ]);
  expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, fast))).toEqual([50, 100, 200, 400, 400]);
});

test('a child that keeps crashing is restarted with growing delays, and stop() ends it', async () => {
  const starts: number[] = [];
  const lines: string[] = [];
  const spec: ServiceSpec = {
    name: 'crasher',
    start: async () => {
      starts.push(Date.now());
      return nodeChild('process.exit(3)');
    },
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 2_000,
  };
  const service = new Supervised(
    spec,
    (l) => lines.push(l),
    () => undefined,
    undefined,
    fast,
  );
  await service.start();
  await until(() => starts.length >= 4);
  await service.stop();
  // Each restart waited at least its delay, and the delays doubled.
  const delays = lines.flatMap((l) => /restarting in (\d+)ms/.exec(l)?.[1] ?? []).map(Number);
  expect(delays.slice(0, 3)).toEqual([50, 100, 200]);
  starts.slice(1, 4).forEach((t, i) => expect(t - starts[i]!).toBeGreaterThanOrEqual(delays[i]! - 5));
  expect(lines[0]).toMatch(/^crasher exited with code 3 after \d+ms; restarting in 50ms \(restart #1\)$/);
  expect(lines.some((l) => /^crasher restarted \(pid \d+\)$/.test(l))).toBe(true);
  const count = starts.length;
  await new Promise((r) => setTimeout(r, 600));
  expect(starts.length).toBe(count); // stopped for good
});

test('an exit code marked fatal (a configuration error) is reported, not retried', async () => {
  let starts = 0;
  const fatal: string[] = [];
  const service = new Supervised(
    {
      name: 'misconfigured',
      start: async () => (starts++, nodeChild('process.exit(78)')),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 1_000,
      fatalExitCodes: [78],
    },
    () => undefined,
    (reason) => fatal.push(reason),
    undefined,
    fast,
  );
  await service.start();
  await until(() => fatal.length > 0);
  await new Promise((r) => setTimeout(r, 300));
  expect(starts).toBe(1);
  expect(fatal).toEqual(['misconfigured exited with code 78; not restarting it']);
});

test('stop() sends the stop signal, and SIGKILLs a child that ignores it', async () => {
  const lines: string[] = [];
  const stubborn = new Supervised(
    {
      name: 'stubborn',
      start: () => readyChild("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 500,
    },
    (l) => lines.push(l),
    () => undefined,
    undefined,
    fast,
  );
  await stubborn.start();
  const child = stubborn.child!;
  await stubborn.stop();
  expect(child.signalCode).toBe('SIGKILL');
  expect(lines).toContain('stubborn did not stop within 500ms; killing it');

  const polite = new Supervised(
    {
      name: 'polite',
      start: () => readyChild('setInterval(() => {}, 1000)'),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 5_000,
    },
    () => undefined,
    () => undefined,
    undefined,
    fast,
  );
  await polite.start();
  const politeChild = polite.child!;
  await polite.stop();
  expect(politeChild.signalCode).toBe('SIGTERM');
});

test('pino lines are shown readably; other lines as they are', () => {
  const time = Date.UTC(2026, 0, 1, 12, 30, 5, 123);
  expect(
    formatLogLine(
      JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', service: 'api', msg: 'api listening', url: 'http://x' }),
    ),
  ).toBe('12:30:05.123 INFO api listening {"url":"http://x"}');
  expect(
    formatLogLine(
      JSON.stringify({
        level: 30,
        time,
        msg: 'request completed',
        req: { method: 'GET', url: '/readyz' },
        res: { statusCode: 200 },
        responseTime: 7,
      }),
    ),
  ).toBe('12:30:05.123 INFO GET /readyz 200 7ms');
  expect(formatLogLine('2026-01-01T00:00:00Z [INFO] Worker state changed')).toBe(
    '2026-01-01T00:00:00Z [INFO] Worker state changed',
  );
  expect(formatLogLine('{not json')).toBe('{not json');
});
