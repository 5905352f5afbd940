/** What global setup started, handed to global teardown (they run in the same process). */
export interface RunState {
  serverPid: number;
  databaseUrl: string;
  dataDir: string;
  migrations: number;
}

const KEY = '__qtmTestRun';

export function setRunState(state: RunState): void {
  (globalThis as Record<string, unknown>)[KEY] = state;
}

export function getRunState(): RunState | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as RunState | undefined;
}
