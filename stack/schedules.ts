/**
 * `npm run schedules`: creates or converges every Schedule (as the worker does at start) and
 * prints each one's state. `-- --trigger <escalation|checkpoint>` also runs one now.
 * Pausing is for ops staff in the Web UI or with the temporal CLI (see OPERATIONS.md).
 */
import { loadConfigOrExit } from '../config';
import { CHECKPOINT_SCHEDULE_ID } from '../orchestration/log-checkpoint-schedule';
import { ESCALATION_SCHEDULE_ID } from '../orchestration/escalation-schedule';
import { ensureSchedules } from '../orchestration/schedules';
import { connectTemporal } from '../adapters/temporal-connection';

const TRIGGERS: Record<string, string> = { escalation: ESCALATION_SCHEDULE_ID, checkpoint: CHECKPOINT_SCHEDULE_ID };

async function main(): Promise<void> {
  const [flag, trigger, ...rest] = process.argv.slice(2);
  if (flag !== undefined && (flag !== '--trigger' || !trigger || !(trigger in TRIGGERS) || rest.length > 0)) {
    process.stderr.write('usage: npm run schedules [-- --trigger escalation|checkpoint]\n');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const { client, connection } = await connectTemporal(config);
  try {
    for (const handle of await ensureSchedules(client, config)) {
      const d = await handle.describe();
      const every = d.spec.intervals?.map((i) => `${Math.round(Number(i.every) / 1000)}s`).join(', ');
      process.stdout.write(
        `${handle.scheduleId}: every ${every}, ${d.state.paused ? 'PAUSED' : 'running'}, next ${d.info.nextActionTimes[0]?.toISOString() ?? '-'}, ${d.info.numActionsTaken} runs so far\n`,
      );
    }
    if (trigger) {
      await client.schedule.getHandle(TRIGGERS[trigger]!).trigger();
      process.stdout.write(`${TRIGGERS[trigger]}: triggered\n`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`schedules: ${(error as Error).message}\n`);
  process.exit(1);
});
