/**
 * `npm run cluster` as the test job drives it (measure/isolated-stack.ts): the real command in a
 * child process, on ports and a Postgres database of its own, read through its state file
 * (DATA_DIR/cluster.json), its children killed by pid and left to its supervisor to restart,
 * stopped with SIGINT like a Ctrl-C.
 */
import { startIsolatedCluster, type RunningCluster } from '../../measure/isolated-stack';

export type { RunningCluster };

export const startCluster = (options: { tls: boolean }) =>
  startIsolatedCluster({
    ...options,
    ...(process.env.TEST_DATABASE_URL ? { baseDatabaseUrl: process.env.TEST_DATABASE_URL } : {}),
  });
