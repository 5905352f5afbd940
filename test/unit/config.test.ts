/**
 * The configuration module: production's rules unless NODE_ENV says otherwise (npm start says
 * development), defaults that run on a development machine there, and a bad value stopping start-up
 * with one line that names the variable — in the module, and at every entry point a person runs
 * (the API, the worker, `npm start`), with no stack trace.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, configSchema, defaultDatabaseUrl, loadConfig as load, loadConfigOrExit } from '../../config';
import { withDevelopmentDefaults } from '../../stack/development-env';

const root = path.resolve(__dirname, '..', '..');
// A data folder npm start has not used: the defaults, whatever this checkout's data/ holds.
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-config-'));
/** As npm start runs (stack/development-env.ts): NODE_ENV=development unless the environment says otherwise. */
const loadConfig = (env: NodeJS.ProcessEnv) => load({ NODE_ENV: 'development', ...env });
const secret = 'x'.repeat(40);
const productionSecrets = {
  AUTH_JWT_SECRET: secret,
  SIGNAL_SIGNING_KEY: '{}',
  LOG_SIGNING_KEY: '{}',
  TEMPORAL_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

test('with NODE_ENV unset the production rules hold: without its secrets nothing starts', () => {
  expect(() => load({})).toThrow('config error: AUTH_JWT_SECRET is required in production');
  // Secrets given and only NODE_ENV forgotten: production, with none of development's doors.
  const config = load({ ...productionSecrets, AUTH_AUDIENCE: 'https://api.example' });
  expect(config).toMatchObject({ NODE_ENV: 'production', HOST: '127.0.0.1', DEV_TOKENS: 'off' });
  expect(config.WEBHOOK_ALLOWED_HOSTS).toEqual([]);
  expect(() => load({ ...productionSecrets, AUTH_AUDIENCE: 'https://api.example', DEV_TOKENS: 'on' })).toThrow(
    'config error: DEV_TOKENS=on is refused in production (it hands out a token for any principal)',
  );
});

test('npm start and npm run cluster run in development with development sign-in, unless told otherwise', () => {
  expect(withDevelopmentDefaults({})).toEqual({ NODE_ENV: 'development', DEV_TOKENS: 'on' });
  expect(withDevelopmentDefaults({ NODE_ENV: '', DEV_TOKENS: 'off' })).toEqual({
    NODE_ENV: 'development',
    DEV_TOKENS: 'off',
  });
  expect(withDevelopmentDefaults({ NODE_ENV: 'production' })).toEqual({ NODE_ENV: 'production' });
  expect(load(withDevelopmentDefaults({ DATA_DIR }))).toMatchObject({
    NODE_ENV: 'development',
    DEV_TOKENS: 'on',
    HOST: '127.0.0.1',
  });
});

test('in development the defaults describe the development machine: the API on 127.0.0.1, no development tokens unless asked', () => {
  expect(loadConfig({}).dataDir).toBe(path.resolve('data'));
  const config = loadConfig({ DATA_DIR });
  expect(config).toMatchObject({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DEV_TOKENS: 'off',
    PORT: 3000,
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/qtm_os',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_UI_PORT: 8233,
    EMBEDDED_POSTGRES: 'auto',
    EMBEDDED_POSTGRES_PORT: 54329,
  });
  expect(path.isAbsolute(config.dataDir)).toBe(true);
});

test('the database npm start chose for a data folder (DATA_DIR/database) is every tool’s default', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-config-'));
  fs.writeFileSync(path.join(dataDir, 'database'), 'qtm_os_3f9a1c\n');
  expect(loadConfig({ DATA_DIR: dataDir }).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/qtm_os_3f9a1c');
  expect(loadConfig({ DATA_DIR: dataDir, PGPORT: '5499' }).DATABASE_URL).toBe(
    'postgres://postgres@127.0.0.1:5499/qtm_os_3f9a1c',
  );
  expect(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@db:6432/x' }).DATABASE_URL).toBe(
    'postgres://u@db:6432/x',
  );
});

test('PGPORT moves the default Postgres; an explicit DATABASE_URL wins', () => {
  expect(loadConfig({ DATA_DIR, PGPORT: '5499' }).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5499/qtm_os');
  expect(loadConfig({ PGPORT: '5499', DATABASE_URL: 'postgres://u@db:6432/x' }).DATABASE_URL).toBe(
    'postgres://u@db:6432/x',
  );
  expect(defaultDatabaseUrl()).toBe(configSchema.shape.DATABASE_URL.parse(undefined));
});

test('an empty value counts as unset', () => {
  expect(loadConfig({ DATA_DIR, PORT: '', DATABASE_URL: '', LOG_LEVEL: '' })).toMatchObject({
    PORT: 3000,
    DATABASE_URL: defaultDatabaseUrl(),
    LOG_LEVEL: 'info',
  });
});

test('values are coerced from their text', () => {
  expect(
    loadConfig({ PORT: '8080', ESCALATION_INTERVAL: '90s', DATABASE_POOL_MAX: '4', PERSONAL_DATA_RETENTION: 'P90D' }),
  ).toMatchObject({
    PORT: 8080,
    ESCALATION_INTERVAL: 90_000,
    DATABASE_POOL_MAX: 4,
    PERSONAL_DATA_RETENTION: { text: 'P90D', ms: 90 * 86_400_000 },
  });
  expect(loadConfig({ PERSONAL_DATA_RETENTION: 'PT12H' }).PERSONAL_DATA_RETENTION).toEqual({
    text: 'PT12H',
    ms: 12 * 3_600_000,
  });
});

const bad: [string, string, RegExp][] = [
  ['PORT', 'abc', /^config error: PORT must be a port number \(got "abc"\)$/],
  ['PORT', '70000', /^config error: PORT must be between 0 and 65535 \(got "70000"\)$/],
  ['PORT', '-1', /^config error: PORT must be between 0 and 65535/],
  ['PORT', '30.5', /^config error: PORT must be a whole number/],
  [
    'DATABASE_URL',
    'mysql://root@db/qtm',
    /^config error: DATABASE_URL must be a postgres:\/\/user@host:port\/database URL \(got "mysql:\/\/root@db\/qtm"\)$/,
  ],
  ['DATABASE_URL', 'not a url', /^config error: DATABASE_URL must be a postgres:/],
  ['DATABASE_URL', 'postgres://db:5432', /^config error: DATABASE_URL must be a postgres:/],
  ['PGPORT', 'five', /^config error: PGPORT must be a port number/],
  ['NODE_ENV', 'staging', /^config error: NODE_ENV /],
  ['LOG_LEVEL', 'loud', /^config error: LOG_LEVEL /],
  ['TEMPORAL_ADDRESS', 'localhost', /^config error: TEMPORAL_ADDRESS must be host:port/],
  ['TEMPORAL_UI_URL', 'nowhere', /^config error: TEMPORAL_UI_URL must be an http\(s\) URL/],
  ['TEMPORAL_UI_PORT', 'x', /^config error: TEMPORAL_UI_PORT must be a port number/],
  ['EMBEDDED_POSTGRES', 'sometimes', /^config error: EMBEDDED_POSTGRES must be auto, always or never/],
  ['EMBEDDED_POSTGRES_PORT', '0x', /^config error: EMBEDDED_POSTGRES_PORT must be a port number/],
  [
    'ESCALATION_INTERVAL',
    'soon',
    /^config error: ESCALATION_INTERVAL must be a duration like 30s, 15m or 2h \(got "soon"\)$/,
  ],
  ['DATABASE_POOL_MAX', '0', /^config error: DATABASE_POOL_MAX /],
  ['PERSONAL_DATA_RETENTION', '90d', /^config error: PERSONAL_DATA_RETENTION must be an ISO 8601 duration like P90D/],
  ['PERSONAL_DATA_RETENTION', 'P', /^config error: PERSONAL_DATA_RETENTION must be an ISO 8601 duration like P90D/],
  ['PERSONAL_DATA_RETENTION', 'PT0S', /^config error: PERSONAL_DATA_RETENTION must be an ISO 8601 duration like P90D/],
  ['BODY_LIMIT', '10 gigabytes', /^config error: BODY_LIMIT must look like 64kb or 1mb/],
  [
    'AUTH_JWT_SECRET',
    'too-short',
    /^config error: AUTH_JWT_SECRET must be at least 32 characters \(got 9 characters\)$/,
  ],
];

test.each(bad)('%s=%j is refused with one line naming it', (variable, value, message) => {
  let error: unknown;
  try {
    loadConfig({ [variable]: value });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
});

test('a secret never appears in the error, and a URL password is masked', () => {
  expect(() => loadConfig({ AUTH_JWT_SECRET: 'hunter2' })).toThrow(/^(?!.*hunter2).*$/);
  const error = (() => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://qtm:s3cret@db/qtm' });
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  expect(error).toBe(
    'config error: DATABASE_URL must be a postgres://user@host:port/database URL (got "mysql://qtm:***@db/qtm")',
  );
});

test('production requires the three secrets and an audience', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
    'config error: AUTH_JWT_SECRET is required in production',
  );
  expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: secret })).toThrow(
    'config error: SIGNAL_SIGNING_KEY is required in production',
  );
  expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: secret, SIGNAL_SIGNING_KEY: '{}' })).toThrow(
    'config error: LOG_SIGNING_KEY is required in production',
  );
  // Every kind of token is checked for aud in production, HS256 too.
  expect(() => loadConfig({ NODE_ENV: 'production', ...productionSecrets })).toThrow(
    'config error: AUTH_AUDIENCE is required in production (the aud every token must name: this API)',
  );
  const signing = { NODE_ENV: 'production', ...productionSecrets, AUTH_AUDIENCE: 'https://api.example' };
  // Every Temporal payload is encrypted: production names its key ring.
  const { TEMPORAL_PAYLOAD_KEYS: _keys, ...withoutKeys } = signing;
  expect(() => loadConfig(withoutKeys)).toThrow(
    'config error: TEMPORAL_PAYLOAD_KEYS is required in production (npm run keys -- rotate --payload --env makes one)',
  );
  expect(loadConfig(signing).NODE_ENV).toBe('production');
  expect(() => loadConfig({ ...signing, TEMPORAL_PAYLOAD_CODEC: 'off' })).toThrow(
    'config error: TEMPORAL_PAYLOAD_CODEC=off is for measurements, never production',
  );
});

test('HOST, DEV_TOKENS, METRICS_TOKEN and the rate limits are read and checked', () => {
  expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  expect(loadConfig({ HOST: '::' }).HOST).toBe('::');
  expect(loadConfig({ HOST: 'api.internal' }).HOST).toBe('api.internal');
  expect(() => loadConfig({ HOST: 'http://0.0.0.0' })).toThrow(
    /^config error: HOST must be an IP address or a host name/,
  );
  expect(() => loadConfig({ DEV_TOKENS: 'yes' })).toThrow('config error: DEV_TOKENS must be on or off (got "yes")');
  expect(() =>
    loadConfig({ DEV_TOKENS: 'on', AUTH_OIDC_ISSUER: 'https://login.example', AUTH_AUDIENCE: 'https://api.example' }),
  ).toThrow(/^config error: DEV_TOKENS=on mints HS256 tokens, which an API with AUTH_OIDC_ISSUER refuses/);
  expect(() => loadConfig({ METRICS_TOKEN: 'short-but-secret' })).toThrow(
    'config error: METRICS_TOKEN must be at least 32 characters (got 16 characters)',
  );
  expect(loadConfig({})).toMatchObject({
    RATE_LIMIT_PRINCIPAL: { points: 20000, windowMs: 60_000 },
    RATE_LIMIT_ADDRESS: { points: 1200, windowMs: 60_000 },
    RATE_LIMIT_AUTH_FAILURES: { points: 20, windowMs: 60_000 },
  });
  expect(loadConfig({ RATE_LIMIT_PRINCIPAL: ' 50 / 10s ' }).RATE_LIMIT_PRINCIPAL).toEqual({
    points: 50,
    windowMs: 10_000,
  });
  for (const bad of ['50', '0/1m', '50/soon', '50/500ms', '-1/1m'])
    expect(() => loadConfig({ RATE_LIMIT_ADDRESS: bad })).toThrow(
      /^config error: RATE_LIMIT_ADDRESS must be <count>\/<window> with a count of at least 1 and a window of at least 1s, like 600\/1m \(got "/,
    );
});

test('the Signal issuer is did:web of PUBLIC_BASE_URL, unless SIGNAL_ISSUER names one; witnesses are <vkey>@<url>', () => {
  expect(loadConfig({}).SIGNAL_ISSUER).toBe('did:web:qtm.local');
  expect(loadConfig({ PUBLIC_BASE_URL: 'https://trust.example.com/' }).SIGNAL_ISSUER).toBe('did:web:trust.example.com');
  expect(loadConfig({ PUBLIC_BASE_URL: 'http://localhost:3000' }).SIGNAL_ISSUER).toBe('did:web:localhost%3A3000');
  expect(loadConfig({ PUBLIC_BASE_URL: 'https://a.example', SIGNAL_ISSUER: 'did:web:b.example' }).SIGNAL_ISSUER).toBe(
    'did:web:b.example',
  );
  const vkey = 'witness.example/w+26e44a48+BAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH';
  const parsed = loadConfig({ LOG_WITNESSES: `${vkey}@http://127.0.0.1:7380/` });
  expect(parsed.LOG_WITNESSES.map((w) => [w.key.name, w.url])).toEqual([
    ['witness.example/w', 'http://127.0.0.1:7380'],
  ]);
  expect(parsed.LOG_WITNESS_THRESHOLD).toBe(1);
  expect(loadConfig({}).LOG_WITNESS_THRESHOLD).toBe(0);
  expect(() => loadConfig({ LOG_WITNESSES: vkey })).toThrow(/LOG_WITNESSES must be <witness verifier key>@<url>/);
  expect(() => loadConfig({ LOG_WITNESSES: `${vkey.replace('26e44a48', '26e44a49')}@http://w` })).toThrow(
    /the key id of "witness.example\/w" is 26e44a48, not 26e44a49/,
  );
  expect(() => loadConfig({ LOG_WITNESSES: `${vkey}@http://w`, LOG_WITNESS_THRESHOLD: '2' })).toThrow(
    'config error: LOG_WITNESS_THRESHOLD 2 is more than the 1 LOG_WITNESSES',
  );
  expect(() => loadConfig({ LOG_CHECKPOINT_DELAY: '2m' })).toThrow(/LOG_CHECKPOINT_DELAY must be at most 1m/);
  expect(loadConfig({}).LOG_CHECKPOINT_DELAY).toBe(500);
});

test('loadConfigOrExit writes the one line to stderr and exits 78 (EX_CONFIG)', () => {
  const writes: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  try {
    expect(() => loadConfigOrExit({ PORT: 'abc' })).toThrow('exit 78');
    expect(writes).toEqual(['config error: PORT must be a port number (got "abc")\n']);
  } finally {
    write.mockRestore();
    exit.mockRestore();
  }
});

describe('entry points stop with the one line, not a stack trace', () => {
  // A clean environment: not the test run's database, Temporal or data folder.
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, args, { cwd: root, env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });

  const entries: [string, string[]][] = [
    ['the API', ['--import', 'tsx', 'api/main.ts']],
    ['the worker', ['--import', 'tsx', 'workers/main.ts']],
    ['npm start (stack/start.mjs)', ['stack/start.mjs']],
  ];
  const cases: [string, string, string][] = [
    ['PORT', 'abc', 'config error: PORT must be a port number (got "abc")'],
    [
      'DATABASE_URL',
      'postgresql:/nohost',
      'config error: DATABASE_URL must be a postgres://user@host:port/database URL (got "postgresql:/nohost")',
    ],
  ];

  // NODE_ENV= node <entry>: production's rules, so the processes that serve refuse to start without their secrets.
  test.each([
    ['the API', ['--import', 'tsx', 'api/main.ts']],
    ['the worker', ['--import', 'tsx', 'workers/main.ts']],
  ])('%s with NODE_ENV unset and no secrets', (_name, args) => {
    const result = run(args, { NODE_ENV: '', DATA_DIR });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
      status: 78,
      stderr: 'config error: AUTH_JWT_SECRET is required in production\n',
      stdout: '',
    });
  });

  test.each(
    entries.flatMap(([name, args]) =>
      cases.map(([variable, value, line]) => [name, variable, value, args, line] as const),
    ),
  )('%s with %s=%j', (_name, variable, value, args, line) => {
    const result = run([...args], { [variable]: value });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
      status: 78,
      stderr: `${line}\n`,
      stdout: '',
    });
  });
});

test('every configuration key has a default or is optional: nothing is required in development', () => {
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const parsed = (schema as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined);
    expect({ key, ok: parsed.success }).toEqual({ key, ok: true });
  }
});
