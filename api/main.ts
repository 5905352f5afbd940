/** The API process: `node dist/api/main.js` in production, run by `npm start` in development. */
import { loadConfigOrExit, type Config } from '../config';
import { TemporalBindingMismatch } from '../db/temporal-binding';
import { startTracing } from '../adapters/telemetry';
import { reachOf } from './client-address';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Before express, pg and knex are loaded (by ./server, imported only now): the tracing
  // instrumentations patch them as they are required. Off, this loads nothing.
  const traces = await startTracing(config, 'qtm-api');
  const { startApi } = await import('./server');
  const api = await startApi(config);
  api.deps.log.info(
    {
      url: api.url,
      host: api.host,
      port: api.port,
      mode: config.NODE_ENV,
      devTokens: config.DEV_TOKENS,
      tracing: traces !== null,
    },
    banner(config, api.host, api.port, reachOf(api.host)),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    api.deps.log.info({ signal }, 'api stopping: finishing in-flight requests');
    api
      .close()
      .then(() => traces?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** One line that says which mode runs and who can reach the API (and its development doors). */
function banner(config: Config, host: string, port: number, reach: string): string {
  const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const devTokens =
    config.DEV_TOKENS === 'on'
      ? 'development tokens ON (POST /v1/dev/tokens, loopback clients only)'
      : 'development tokens off';
  const metrics = config.METRICS_TOKEN
    ? '/metrics for loopback clients and the METRICS_TOKEN'
    : '/metrics for loopback clients';
  return `api listening on ${where} (${config.NODE_ENV}): reachable from ${reach}; ${devTokens}; ${metrics}`;
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    `api failed to start: ${code === 'EADDRINUSE' ? 'the port is already in use' : (error as Error).message}\n`,
  );
  // Like a configuration error (78): restarting cannot help, the supervisor reports it instead.
  process.exit(error instanceof TemporalBindingMismatch ? 78 : 1);
});
