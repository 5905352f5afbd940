/**
 * `npm run reconcile [-- --since <time> | --intake <id> ...] [--settle 15s] [--stalled-after 5m]`:
 * for every intake, compares what its workflow holds with every Postgres row of it, prints each
 * difference by intake and kind, and lists intakes whose workflow is stalled (a task failing or
 * timing out for long). Exit code 1 on any difference or stalled intake, 2 when it cannot run.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config';
import { createDb } from '../db';
import { parseDurationMs } from '../adapters/duration';
import { IntakeClient } from '../orchestration/intake-client';
import { createReconciler } from '../orchestration/reconcile';
import { connectTemporal } from '../adapters/temporal-connection';
import { bindingMismatch } from '../db/temporal-binding';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      since: { type: 'string' },
      intake: { type: 'string', multiple: true },
      settle: { type: 'string', default: '15s' },
      'stalled-after': { type: 'string', default: '5m' },
    },
  });
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) throw new Error(`--since must be a time (got "${values.since}")`);
  const config = loadConfigOrExit();
  const db = createDb(config, { poolMax: 4 });
  const { connection, client, identity } = await connectTemporal(config, { waitMs: 5_000 });
  try {
    // Compared all the same (that is what a reconciler is for), but the cause is said once, first.
    const mismatch = await bindingMismatch(db, identity);
    if (mismatch) process.stderr.write(`reconcile: ${mismatch.message}\n`);
    const intakes = new IntakeClient(client, config.TEMPORAL_TASK_QUEUE);
    const duration = (name: 'settle' | 'stalled-after') => {
      const ms = parseDurationMs(values[name]!);
      if (ms === undefined) throw new Error(`--${name} must be a duration such as 15s or 5m (got "${values[name]}")`);
      return ms;
    };
    const reconciler = createReconciler(
      { db, client, intakes },
      { settleMs: duration('settle'), stalledAfterMs: duration('stalled-after') },
    );
    const report = await reconciler.all({ since, intakeIds: values.intake });
    for (const d of report.differences) process.stdout.write(`intake ${d.intakeId} ${d.kind}: ${d.detail}\n`);
    for (const id of report.inFlight) process.stdout.write(`intake ${id} in flight: not compared (still busy)\n`);
    const stalled = report.differences.filter((d) => d.kind === 'stalled').length;
    const differences = report.differences.length - stalled;
    process.stdout.write(
      `reconcile: ${report.intakes} intakes, ${report.compared} compared, ${differences} differences, ` +
        `${stalled} stalled, ${report.inFlight.length} in flight\n`,
    );
    process.exitCode = report.differences.length > 0 ? 1 : 0;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reconcile: ${(error as Error).message}\n`);
  process.exit(2);
});
