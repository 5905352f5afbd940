/**
 * No Docker engine runs on the development machines, so docker-compose.yml is checked by
 * reading it: the services of the at-scale topology are there, their ports agree with each
 * other and with the app's configuration, and every variable given to the app's processes is
 * one that config/index.ts knows and accepts (with secrets as an operator's .env provides them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../config';
import { generateSecrets, toDotEnv } from '../../stack/secrets';
import { DYNAMIC_CONFIG_FILE, SQL_MAX_CONNS } from '../../stack/temporal-cluster';
import { loadAuthSecret, loadSigningKey, loadTrustKeys } from '../../trust/keys';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean> | string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  volumes?: string[];
  deploy?: { replicas?: number };
}

interface Compose {
  services: Record<string, Service>;
}

/**
 * Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
 * ${VAR?error}, ${VAR:+alt}, ${VAR+alt}. A missing required variable throws its error.
 */
function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])((?:[^}])*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const key = (name ?? bare)!;
      const value = vars[key];
      const unset = colon ? value === undefined || value === '' : value === undefined;
      switch (op) {
        case '-':
          return unset ? interpolate(arg ?? '', vars) : value!;
        case '?':
          if (unset) throw new Error(`required variable ${key} is missing: ${arg}`);
          return value!;
        case '+':
          return unset ? '' : interpolate(arg ?? '', vars);
        default:
          return value ?? '';
      }
    },
  );
}

function environmentOf(service: Service, vars: Record<string, string | undefined>): Record<string, string> {
  const env = service.environment ?? {};
  const pairs: [string, string][] = Array.isArray(env)
    ? env.map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v, vars)]));
}

/** "3000:3000", "127.0.0.1:8080:8080/tcp" → host and container port. */
function portMapping(spec: string): { host: number; container: number } {
  const parts = spec.replace(/\/(tcp|udp)$/, '').split(':');
  return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
}

/** .env lines as compose reads them: KEY=value, single quotes literal, double quotes unescaped. */
function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!.trim();
    out[m[1]!] = /^'.*'$/.test(raw) ? raw.slice(1, -1) : /^".*"$/.test(raw) ? (JSON.parse(raw) as string) : raw;
  }
  return out;
}

const APP_SERVICES = ['setup', 'api', 'worker'] as const;
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const { services } = compose;
let vars: Record<string, string>;

beforeAll(async () => {
  // What an operator's .env provides, made the documented way (npm run --silent secrets > .env).
  vars = parseDotEnv(toDotEnv(await generateSecrets()));
});

test('the at-scale topology is all there: postgres, temporal, temporal-ui, api, worker', () => {
  for (const name of ['postgres', 'temporal', 'temporal-ui', 'api', 'worker']) expect(services).toHaveProperty(name);
});

test('api, worker and setup are one image from the Dockerfile, started with different commands', () => {
  const images = new Set(APP_SERVICES.map((name) => services[name]!.image));
  expect(images.size).toBe(1);
  for (const name of APP_SERVICES) {
    const build = services[name]!.build;
    const context = typeof build === 'string' ? build : build?.context;
    expect(context).toBe('.');
  }
  const commands = Object.fromEntries(APP_SERVICES.map((name) => [name, services[name]!.command]));
  expect(commands).toEqual({
    setup: ['node', 'dist/stack/setup.js'],
    api: ['node', 'dist/api/main.js'],
    worker: ['node', 'dist/workers/main.js'],
  });
  // Each command is the compiled form of a source the production build compiles.
  const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
  for (const command of Object.values(commands) as string[][]) {
    const source = command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(fs.existsSync(path.join(root, source))).toBe(true);
    expect(build.include).toContain(source.split('/')[0]);
  }
});

test('every variable given to setup, api and worker is a configuration key, and the configuration loads', async () => {
  const keys = new Set(Object.keys(configSchema.shape));
  for (const name of APP_SERVICES) {
    const env = environmentOf(services[name]!, vars);
    const unknown = Object.keys(env).filter((key) => !keys.has(key));
    expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    const config = loadConfig(env);
    expect(config.NODE_ENV).toBe('production');
    // Production checks every token's aud, so compose names the audience.
    expect(config.AUTH_AUDIENCE).toBe('http://localhost:3000');
    // The secrets as an operator provides them are ones the app accepts.
    await expect(loadSigningKey(config)).resolves.toHaveProperty('kid');
    await expect(loadTrustKeys(config)).resolves.toHaveProperty('log.current.kid');
    await expect(loadAuthSecret(config)).resolves.toBeInstanceOf(Uint8Array);
  }
  // The three processes see one configuration.
  const [first, ...rest] = APP_SERVICES.map((name) => environmentOf(services[name]!, vars));
  for (const other of rest) expect(other).toEqual(first);
});

test('the secrets come only from the operator .env, and compose refuses to start without them', () => {
  const text = read('docker-compose.yml');
  const example = parseDotEnv(read('.env.example'));
  const referenced = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  expect([...referenced].sort()).toEqual(Object.keys(example).sort());
  expect([...referenced].sort()).toEqual([
    'AUTH_JWT_SECRET',
    'LOG_SIGNING_KEY',
    'POSTGRES_PASSWORD',
    'SIGNAL_SIGNING_KEY',
    'TEMPORAL_PAYLOAD_KEYS',
    'WEBHOOK_SECRETS_KEY',
  ]);
  // Every reference is the required form, so a missing one stops `docker compose up`.
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}/g)) expect(m[2]).toMatch(/^:\?/);
  for (const name of APP_SERVICES) {
    expect(() => environmentOf(services[name]!, { ...vars, AUTH_JWT_SECRET: '' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => environmentOf(services[name]!, { ...vars, SIGNAL_SIGNING_KEY: undefined })).toThrow(
      /SIGNAL_SIGNING_KEY/,
    );
  }
  // The .env.example leaves them empty: copied as it is, compose still refuses.
  expect(Object.values(example).every((v) => v === '')).toBe(true);
  // And without NODE_ENV=production's secrets, the app itself refuses as well.
  const env = environmentOf(services.api!, vars);
  expect(() => loadConfig({ ...env, AUTH_JWT_SECRET: undefined })).toThrow(
    'config error: AUTH_JWT_SECRET is required in production',
  );
});

test('the Web UI reads payloads through the API’s codec server, with the session cookie, and the API admits its origin', () => {
  const config = loadConfig(environmentOf(services.api!, vars));
  const ui = environmentOf(services['temporal-ui']!, vars);
  const endpoint = new URL(ui.TEMPORAL_CODEC_ENDPOINT!);
  expect(endpoint.pathname).toBe('/codec');
  expect((services.api!.ports ?? []).map(portMapping)).toContainEqual({
    host: Number(endpoint.port),
    container: config.PORT,
  });
  expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  // CORS: the codec server admits TEMPORAL_UI_URL's origin, the same site as the endpoint (SameSite=Strict cookie).
  expect(new URL(config.TEMPORAL_UI_URL).hostname).toBe(endpoint.hostname);
  expect(config.TEMPORAL_PAYLOAD_KEYS).toHaveLength(1);
});

test('ports agree: API port, Temporal frontend 7233, Web UI 8080, Postgres 5432', () => {
  const config = loadConfig(environmentOf(services.api!, vars));

  // API: published on the port it listens on, and its health check asks that port.
  const apiPorts = (services.api!.ports ?? []).map(portMapping);
  expect(apiPorts).toContainEqual({ host: config.PORT, container: config.PORT });
  expect(JSON.stringify(services.api!.healthcheck?.test)).toContain(`127.0.0.1:${config.PORT}/readyz`);

  // Temporal: the app and the Web UI dial the temporal service on its frontend port.
  const [temporalHost, temporalPort] = config.TEMPORAL_ADDRESS.split(':');
  expect(temporalHost).toBe('temporal');
  expect(Number(temporalPort)).toBe(7233);
  expect((services.temporal!.ports ?? []).map(portMapping)).toContainEqual({ host: 7233, container: 7233 });
  expect(JSON.stringify(services.temporal!.healthcheck?.test)).toContain('7233');
  expect(environmentOf(services['temporal-ui']!, vars).TEMPORAL_ADDRESS).toBe(config.TEMPORAL_ADDRESS);

  // Web UI: the link the API gives out is where temporal-ui is published (it listens on 8080).
  const ui = new URL(config.TEMPORAL_UI_URL);
  expect((services['temporal-ui']!.ports ?? []).map(portMapping)).toContainEqual({
    host: Number(ui.port),
    container: 8080,
  });

  // Postgres: the app's DATABASE_URL is the postgres service, its user, password and database.
  const db = new URL(config.DATABASE_URL);
  const pgEnv = environmentOf(services.postgres!, vars);
  expect({
    host: db.hostname,
    port: db.port,
    user: db.username,
    password: decodeURIComponent(db.password),
    database: db.pathname.slice(1),
  }).toEqual({
    host: 'postgres',
    port: '5432',
    user: pgEnv.POSTGRES_USER,
    password: pgEnv.POSTGRES_PASSWORD,
    database: pgEnv.POSTGRES_DB,
  });
  // Temporal persists in the same Postgres, with the same credentials.
  const temporalEnv = environmentOf(services.temporal!, vars);
  expect(temporalEnv).toMatchObject({
    DB: 'postgres12',
    DB_PORT: '5432',
    POSTGRES_SEEDS: 'postgres',
    POSTGRES_USER: pgEnv.POSTGRES_USER,
    POSTGRES_PWD: pgEnv.POSTGRES_PASSWORD,
  });
  expect(environmentOf(services['temporal-schema']!, vars)).toMatchObject({
    SQL_HOST: 'postgres',
    SQL_PORT: '5432',
    SQL_USER: pgEnv.POSTGRES_USER,
    SQL_PASSWORD: pgEnv.POSTGRES_PASSWORD,
  });
});

test('start-up order: schema before Temporal, setup before api and worker', () => {
  expect(services.temporal!.depends_on).toMatchObject({
    'temporal-schema': { condition: 'service_completed_successfully' },
  });
  expect(services.setup!.depends_on).toMatchObject({
    postgres: { condition: 'service_healthy' },
    temporal: { condition: 'service_healthy' },
  });
  for (const name of ['api', 'worker'])
    expect(services[name]!.depends_on).toMatchObject({ setup: { condition: 'service_completed_successfully' } });
});

test('images are pinned: Temporal server 1.29.x, the UI and admin tools of the same release, no :latest', () => {
  const images = Object.values(services)
    .map((s) => s.image)
    .filter((image): image is string => Boolean(image));
  for (const image of images) expect(image).toMatch(/:[^:]+$/);
  expect(images.some((image) => image.endsWith(':latest'))).toBe(false);
  expect(services.temporal!.image).toMatch(/^temporalio\/server:1\.29\.\d+$/);
  expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:1\.29\.\d+/);
  expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
});

test('the Dockerfile builds on Debian with npm ci and runs the compiled app as a non-root user', () => {
  const dockerfile = read('Dockerfile');
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  expect(froms.length).toBeGreaterThanOrEqual(2);
  expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  expect(dockerfile).not.toMatch(/^(FROM|ARG).*(alpine|musl)/im);
  expect(dockerfile).toMatch(/RUN npm ci\b/);
  expect(dockerfile).toMatch(/RUN npm run build/);
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(dockerfile).toMatch(/^USER node$/m);
  // The API listens on the container's interfaces, or no published port would reach it.
  expect(dockerfile).toMatch(/^ENV HOST=0\.0\.0\.0$/m);
  expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\/main\.js"\]$/m);
  const ignored = read('.dockerignore').split('\n');
  for (const entry of ['node_modules', '.env', 'data', '.tools', 'dist', '.git']) expect(ignored).toContain(entry);
  // The build script writes what the worker command loads.
  expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build).toMatch(
    /tsc -p tsconfig\.build\.json && node dist\/stack\/bundle-workflows\.js/,
  );
});

test('Temporal runs with the same dynamic config as npm run cluster: the outside version check off', () => {
  const temporal = services.temporal!;
  const target = environmentOf(temporal, vars).DYNAMIC_CONFIG_FILE_PATH;
  const mount = (temporal.volumes ?? []).map((v) => v.split(':')).find(([, inside]) => inside === target);
  expect(mount).toBeDefined();
  // The file compose mounts is the very one the plain-process cluster points its server at.
  expect(path.resolve(root, mount![0]!)).toBe(DYNAMIC_CONFIG_FILE);
  expect(mount![2]).toBe('ro');
  const dynamic = parse(fs.readFileSync(DYNAMIC_CONFIG_FILE, 'utf8')) as Record<string, { value: unknown }[]>;
  expect(dynamic['frontend.enableServerVersionCheck']).toEqual([{ value: false }]);
  // And the same connection pools as the cluster's own config file.
  expect(environmentOf(temporal, vars)).toMatchObject({
    SQL_MAX_CONNS: String(SQL_MAX_CONNS.main),
    SQL_VIS_MAX_CONNS: String(SQL_MAX_CONNS.visibility),
  });
});

test('Postgres is sized for Temporal and QTM OS at --scale worker=4: max_connections, as the file says', () => {
  const command = services.postgres!.command as string[];
  const setting = command.join(' ').match(/max_connections=(\d+)/);
  expect(setting).not.toBeNull();
  const maxConnections = Number(setting![1]);
  const config = loadConfig(environmentOf(services.api!, vars));
  // What Temporal's one process was seen to hold on this config, and each QTM OS process's pool.
  const temporal = 57;
  const processes = (services.api!.deploy?.replicas ?? 1) + 4 + 1;
  const needed = temporal + processes * config.DATABASE_POOL_MAX;
  expect(needed).toBeGreaterThan(100); // Postgres's default would not do
  expect(maxConnections).toBeGreaterThanOrEqual(needed);
  expect(read('docker-compose.yml')).toMatch(/max_connections=200 \(Postgres's default is 100\)/);
});
