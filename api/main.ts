/** The API process: `node dist/api/main.js` in production, run by `npm start` in development. */
import { loadConfigOrExit } from '../config';
import { startApi } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const api = await startApi(config);
  api.deps.log.info({ url: api.url }, 'api listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    api.deps.log.info({ signal }, 'api stopping: finishing in-flight requests');
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    `api failed to start: ${code === 'EADDRINUSE' ? 'the port is already in use' : (error as Error).message}\n`,
  );
  process.exit(1);
});
