/**
 * How QTM OS reaches Temporal and Postgres beyond a plain address: the TEMPORAL_* variables and
 * temporal.toml profiles as @temporalio/envconfig reads them (resolved once in config/index.ts,
 * turned into connection options in adapters/temporal-connection.ts), and DATABASE_CA_FILE for Postgres TLS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig as load } from '../../config';
import { temporalConnectionOptions } from '../../adapters/temporal-connection';

/** Out of production (the default, which wants secrets): only the Temporal and database settings matter here. */
const loadConfig = (env: NodeJS.ProcessEnv) => load({ NODE_ENV: 'test', ...env });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-envconfig-'));
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('nothing set: the local dev server, no TLS', () => {
  const options = temporalConnectionOptions(loadConfig({}));
  expect(options).toEqual({ address: '127.0.0.1:7233' });
});

test('a temporal.toml profile gives address, namespace, API key and TLS; the variables override it', () => {
  const ca = file('ca.pem', 'CA PEM');
  const toml = file(
    'temporal.toml',
    [
      '[profile.default]',
      'address = "default.example:7233"',
      '[profile.cloud]',
      'address = "qtm.a1b2c.tmprl.cloud:7233"',
      'namespace = "qtm.a1b2c"',
      'api_key = "key-from-profile"',
      '[profile.cloud.tls]',
      `server_ca_cert_path = "${ca}"`,
      'server_name = "qtm.a1b2c.tmprl.cloud"',
      '',
    ].join('\n'),
  );
  const cloud = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
  expect(cloud).toMatchObject({ TEMPORAL_ADDRESS: 'qtm.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'qtm.a1b2c' });
  expect(temporalConnectionOptions(cloud)).toEqual({
    address: 'qtm.a1b2c.tmprl.cloud:7233',
    apiKey: 'key-from-profile',
    tls: {
      serverNameOverride: 'qtm.a1b2c.tmprl.cloud',
      serverRootCACertificate: Buffer.from('CA PEM'),
      clientCertPair: undefined,
    },
  });
  // The default profile without TEMPORAL_PROFILE; an explicit variable beats the profile.
  expect(loadConfig({ TEMPORAL_CONFIG_FILE: toml }).TEMPORAL_ADDRESS).toBe('default.example:7233');
  expect(
    loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud', TEMPORAL_ADDRESS: 'other:7233' })
      .TEMPORAL_ADDRESS,
  ).toBe('other:7233');
  expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toThrow(
    /^config error: TEMPORAL_CONFIG_FILE .*: Profile 'nope' not found/,
  );
});

test('TEMPORAL_TLS_* variables give mTLS with a client certificate (a secured self-hosted cluster)', () => {
  const env = {
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('server-ca.pem', 'SERVER CA'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', 'CLIENT CERT'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', 'CLIENT KEY'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  };
  expect(temporalConnectionOptions(loadConfig(env))).toEqual({
    address: 'temporal.internal:7233',
    tls: {
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('SERVER CA'),
      clientCertPair: { crt: Buffer.from('CLIENT CERT'), key: Buffer.from('CLIENT KEY') },
    },
  });
  // An API key alone turns TLS on (Temporal Cloud); TEMPORAL_TLS=false turns it off.
  expect(temporalConnectionOptions(loadConfig({ TEMPORAL_API_KEY: 'k' }))).toMatchObject({ apiKey: 'k', tls: true });
  expect(temporalConnectionOptions(loadConfig({ ...env, TEMPORAL_TLS: 'false' })).tls).toBe(false);
});

test('a bad Temporal TLS value stops start-up with one line naming it', () => {
  expect(() => loadConfig({ TEMPORAL_TLS: 'yes' })).toThrow(
    /^config error: TEMPORAL_TLS must be true or false \(got "yes"\)$/,
  );
});

/** What node-postgres makes of a connection string: its TLS options among them. */
const pgParameters = (connectionString: string) =>
  (new pg.Client({ connectionString }) as unknown as { connectionParameters: { ssl: unknown; database: string } })
    .connectionParameters;

test('DATABASE_CA_FILE becomes the URL’s sslrootcert, which node-postgres reads as its CA', () => {
  const ca = file('pg-ca.pem', 'PG CA');
  const config = loadConfig({ DATABASE_URL: 'postgres://qtm@db.internal:5432/qtm_os', DATABASE_CA_FILE: ca });
  const url = new URL(config.DATABASE_URL);
  expect(url.searchParams.get('sslmode')).toBe('verify-full');
  expect(pgParameters(config.DATABASE_URL)).toMatchObject({ database: 'qtm_os', ssl: { ca: 'PG CA' } });
  // An sslmode of the operator's own stays as it is.
  const own = loadConfig({ DATABASE_URL: 'postgres://qtm@db/qtm_os?sslmode=no-verify', DATABASE_CA_FILE: ca });
  expect(new URL(own.DATABASE_URL).searchParams.get('sslmode')).toBe('no-verify');
  expect(pgParameters(own.DATABASE_URL)).toMatchObject({ ssl: { ca: 'PG CA' } });
  expect(() => loadConfig({ DATABASE_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(
    /^config error: DATABASE_CA_FILE .*missing\.pem does not exist$/,
  );
});
