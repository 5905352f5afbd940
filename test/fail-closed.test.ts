/**
 * A start that lets no one in (issue 21), with the real API process (api/main.ts) and a second
 * machine made of a network namespace: a veth pair whose far end, 10.231.x.2, is another host as
 * far as the API can tell. Needs root and iproute2 (`ip`, `ss`), as CI has (.ci/run installs it).
 * - npm start's environment: the API listens on 127.0.0.1 only; the other host cannot connect.
 * - HOST=0.0.0.0 on purpose, development tokens on: the other host reaches the API but gets no
 *   development token and no metrics (unless it holds METRICS_TOKEN); this machine gets both.
 * - `NODE_ENV= node api/main.ts` with its secrets: production, and no development tokens.
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { generateSecrets } from '../stack/secrets';
import { freePort, stopProcess } from '../stack/temporal-cli';
import { withDevelopmentDefaults } from '../stack/development-env';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '..');
const tag = String(process.pid);
const ns = `qtm${tag}`;
const hostLink = `qtm${tag}h`;
const nsLink = `qtm${tag}n`;
const subnet = `10.231.${process.pid % 256}`;
const hostAddress = `${subnet}.1`;
const otherAddress = `${subnet}.2`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function removeNamespace(): void {
  // The host end goes with its peer; either may already be gone.
  spawnSync('ip', ['link', 'del', hostLink]);
  spawnSync('ip', ['netns', 'del', ns]);
}

beforeAll(() => {
  removeNamespace(); // leftovers of a run that was killed
  ip('netns', 'add', ns);
  ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
  ip('link', 'set', nsLink, 'netns', ns);
  ip('addr', 'add', `${hostAddress}/30`, 'dev', hostLink);
  ip('link', 'set', hostLink, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${otherAddress}/30`, 'dev', nsLink);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', nsLink, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
});
afterAll(removeNamespace);

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

/** An HTTP request from the other host (inside the namespace), by a node process there. */
function fromOtherHost(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const script = `fetch(${JSON.stringify(url)}, ${JSON.stringify(init)}).then(
    async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })),
    (e) => process.stdout.write(JSON.stringify({ error: e.cause?.code ?? e.message })))`;
  const result = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (!result.stdout) throw new Error(`the request from ${ns} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Answer;
}

async function fromHere(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text() };
}

interface RunningApi {
  child: ChildProcess;
  port: number;
  /** The start-up banner: the `api listening` line's message. */
  banner: string;
  output: () => string;
}

/** The test run's database, Temporal and data folder, without the test mode jest runs in. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.NODE_ENV;
  return env;
}

async function startApi(env: NodeJS.ProcessEnv): Promise<RunningApi> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 60_000);
    const look = () => {
      const line = output.split('\n').find((l) => l.includes('"msg":"api listening'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { msg: string }).msg);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with ${code}:\n${output}`));
    });
  });
  return { child, port, banner, output: () => output };
}

const devTokenRequest = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ role: 'admin', sub: 'x' }),
};

describe("npm start's environment", () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi(withDevelopmentDefaults(baseEnv()));
  });
  afterAll(() => api && stopProcess(api.child));

  test('the API listens on 127.0.0.1 only: another host cannot even connect', async () => {
    const listening = execFileSync('ss', ['-Hltn', `sport = :${api.port}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3]);
    expect(listening).toEqual([`127.0.0.1:${api.port}`]);
    expect(fromOtherHost(`http://${hostAddress}:${api.port}/healthz`)).toEqual({ error: 'ECONNREFUSED' });
    // This machine has the development sign-in npm start turns on.
    expect((await fromHere(`http://127.0.0.1:${api.port}/v1/dev/tokens`, devTokenRequest)).status).toBe(201);
    expect(api.banner).toBe(
      `api listening on 127.0.0.1:${api.port} (development): reachable from this machine only (loopback); ` +
        'development tokens ON (POST /v1/dev/tokens, loopback clients only); /metrics for loopback clients',
    );
  });
});

describe('HOST=0.0.0.0 set on purpose, in development with development tokens on', () => {
  const metricsToken = randomBytes(32).toString('base64url');
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({
      ...baseEnv(),
      NODE_ENV: 'development',
      DEV_TOKENS: 'on',
      HOST: '0.0.0.0',
      METRICS_TOKEN: metricsToken,
    });
  });
  afterAll(() => api && stopProcess(api.child));

  test('another host reaches the API but is refused a development token; this machine gets one', async () => {
    const base = `http://${hostAddress}:${api.port}`;
    expect(fromOtherHost(`${base}/healthz`)).toMatchObject({ status: 200 });
    const refused = fromOtherHost(`${base}/v1/dev/tokens`, devTokenRequest);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body!)).toMatchObject({
      status: 403,
      detail: 'development tokens are given only to clients on the same machine as the API (loopback)',
    });
    // X-Forwarded-For is not believed: the socket's address decides.
    expect(
      fromOtherHost(`${base}/v1/dev/tokens`, {
        ...devTokenRequest,
        headers: { ...devTokenRequest.headers, 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' },
      }).status,
    ).toBe(403);
    expect((await fromHere(`http://127.0.0.1:${api.port}/v1/dev/tokens`, devTokenRequest)).status).toBe(201);
    expect(api.banner).toMatch(/\(development\): reachable from every network interface: anyone who can reach/);
  });

  test('/metrics: this machine, or another host with METRICS_TOKEN; anyone else 403', async () => {
    const url = `http://${hostAddress}:${api.port}/metrics`;
    const refused = fromOtherHost(url);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body!)).toMatchObject({ status: 403 });
    expect(fromOtherHost(url, { headers: { authorization: `Bearer ${metricsToken}x` } }).status).toBe(403);
    const scraped = fromOtherHost(url, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('qtm_http_requests_total');
    expect((await fromHere(`http://127.0.0.1:${api.port}/metrics`)).status).toBe(200);
  });
});

describe('NODE_ENV= node api/main.ts (production rules)', () => {
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: root,
      env: { ...baseEnv(), NODE_ENV: '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('without its secrets, or with DEV_TOKENS=on, it refuses to start with one line', () => {
    for (const [env, line] of [
      [{}, 'config error: AUTH_JWT_SECRET is required in production'],
      [
        { DEV_TOKENS: 'on' },
        'config error: DEV_TOKENS=on is refused in production (it hands out a token for any principal)',
      ],
    ] as const) {
      const result = run(env);
      expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
        status: 78,
        stderr: `${line}\n`,
        stdout: '',
      });
    }
  });

  describe('with its secrets', () => {
    let api: RunningApi;
    let secret: string;
    beforeAll(async () => {
      const secrets = await generateSecrets();
      secret = secrets.AUTH_JWT_SECRET;
      api = await startApi({
        ...baseEnv(),
        NODE_ENV: '',
        AUTH_JWT_SECRET: secrets.AUTH_JWT_SECRET,
        SIGNAL_SIGNING_KEY: secrets.SIGNAL_SIGNING_KEY,
        LOG_SIGNING_KEY: secrets.LOG_SIGNING_KEY,
        TEMPORAL_PAYLOAD_KEYS: secrets.TEMPORAL_PAYLOAD_KEYS,
        AUTH_AUDIENCE: 'https://api.qtm.test',
      });
    });
    afterAll(() => api && stopProcess(api.child));

    test('it serves, in production, with no development tokens', async () => {
      const base = `http://127.0.0.1:${api.port}`;
      expect((await fromHere(`${base}/v1/dev/tokens`, devTokenRequest)).status).toBe(404);
      expect(api.banner).toMatch(/^api listening on 127\.0\.0\.1:\d+ \(production\): .* development tokens off;/);
      const paths = Object.keys(
        (JSON.parse((await fromHere(`${base}/openapi.json`)).body!) as { paths: object }).paths,
      );
      expect(paths).not.toContain('/v1/dev/tokens');
      // Its tokens are the secret's, for its audience only.
      const token = (aud: string) =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('ops')
          .setIssuer('qtm-os')
          .setAudience(aud)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(secret));
      const me = (t: string) => fromHere(`${base}/v1/auth/me`, { headers: { authorization: `Bearer ${t}` } });
      expect((await me(await token('https://api.qtm.test'))).status).toBe(200);
      expect((await me(await token('https://other.qtm.test'))).status).toBe(401);
    });
  });
});
