/**
 * Certificates for one `npm run cluster -- --tls` run, made with the system's `openssl`
 * (Debian's openssl package): a CA, the frontend's server certificate for 127.0.0.1 and
 * localhost, and a client certificate that the workers, the APIs, the Web UI and Temporal's
 * own system worker present. ECDSA P-256, valid for 30 days, private keys readable by us only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FrontendTls } from './temporal-cluster';

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error('--tls needs the openssl command (Debian: apt-get install openssl)');
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${(run.stderr || run.stdout).trim()}`);
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Writes the files into `dir` (made anew each run) and names them. */
export function makeClusterCertificates(dir: string): FrontendTls {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(
    ['req', '-x509', ...KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=QTM OS cluster CA'],
    dir,
  );
  const leaf = (name: string, subject: string, extensions: string[]) => {
    openssl(['req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '30',
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
    fs.rmSync(path.join(dir, `${name}.csr`));
    fs.rmSync(path.join(dir, `${name}.ext`));
  };
  leaf('server', '/CN=localhost', [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth,clientAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  leaf('client', '/CN=qtm-os', [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
  // The CA's key is needed no more: nothing else can be signed with it.
  fs.rmSync(path.join(dir, 'ca.key'));
  for (const key of ['server.key', 'client.key']) fs.chmodSync(path.join(dir, key), 0o600);
  return {
    caFile: path.join(dir, 'ca.pem'),
    serverCertFile: path.join(dir, 'server.pem'),
    serverKeyFile: path.join(dir, 'server.key'),
    clientCertFile: path.join(dir, 'client.pem'),
    clientKeyFile: path.join(dir, 'client.key'),
    serverName: 'localhost',
  };
}

/** The envconfig variables (as every Temporal tool reads them) for a client of this cluster. */
export function clientTlsEnv(tls: FrontendTls): Record<string, string> {
  return {
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls.caFile,
    TEMPORAL_TLS_CLIENT_CERT_PATH: tls.clientCertFile,
    TEMPORAL_TLS_CLIENT_KEY_PATH: tls.clientKeyFile,
    TEMPORAL_TLS_SERVER_NAME: tls.serverName,
  };
}
