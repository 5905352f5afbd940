/**
 * How long one escalation sweep takes over a large backlog, against the interval it must fit in.
 *
 *   npm run bench:escalation [-- --tasks 10000 --concurrency 32 --signals 32 --keep]
 *
 * --concurrency: submissions at once while seeding; --signals: the sweep's signals in flight
 * (default: what the Schedule uses).
 *
 * On an isolated stack it starts N real intake workflows waiting in governance (operator
 * audience), moves their escalation clocks back past the threshold (an UPDATE of stale_since,
 * the only thing made up here), then times a sweep with the production policy and page size:
 * until the sweep workflow has nudged every Task, and until every escalation is persisted.
 * A second sweep right after must find nothing to do.
 */
import { parseArgs } from 'node:util';
import { createDb } from '../db';
import { ESCALATION_SCHEDULE_ID, sweepInput, sweepNow } from '../orchestration/escalation-schedule';
import { IntakeClient } from '../orchestration/intake-client';
import { connectTemporal } from '../adapters/temporal-connection';
import { startIsolatedStack } from './isolated-stack';
import { seedWaitingIntakes } from './seed-intakes';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    signals: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const TASKS = Number(values.tasks);
const CONCURRENCY = Number(values.concurrency);

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const stack = await startIsolatedStack({ name: 'bench_esc', log, keep: values.keep });
  const { client, connection } = await connectTemporal(stack.config);
  const owner = createDb({ ...stack.config, DATABASE_URL: stack.databaseUrl }, { as: 'owner', poolMax: 2 });
  try {
    // Ops staff's pause: the Schedule's own sweeps must not run into the measured one.
    await client.schedule.getHandle(ESCALATION_SCHEDULE_ID).pause('bench:escalation is measuring a sweep');
    const intakes = new IntakeClient(client, stack.config.TEMPORAL_TASK_QUEUE);

    let started = performance.now();
    await seedWaitingIntakes(intakes, TASKS, CONCURRENCY, (done) => log(`  ${done}/${TASKS} intakes waiting`));
    const seeded = performance.now() - started;
    log(`seeded ${TASKS} waiting intakes in ${seconds(seeded)} (${(TASKS / (seeded / 1000)).toFixed(0)}/s)`);

    const input = { ...sweepInput(stack.config), ...(values.signals ? { concurrency: Number(values.signals) } : {}) };
    const threshold = input.policy.operatorThresholdMs;
    await owner.raw(`UPDATE tasks SET stale_since = now() - (? * interval '1 millisecond')`, [threshold + 3_600_000]);

    started = performance.now();
    const summary = await sweepNow(client, stack.config, input);
    const swept = performance.now() - started;
    const interval = stack.config.ESCALATION_INTERVAL;
    log(
      `sweep workflow done in ${seconds(swept)} = ${((100 * swept) / interval).toFixed(1)}% of its ${seconds(interval)} interval: ${summary.nudged} nudged over ${summary.pages} pages`,
    );
    // The intake workflows apply the nudges after the sweep has sent them; wait for every one.
    let persisted = 0;
    while ((persisted = Number((await owner('task_escalations').count('* as n').first())!.n)) < TASKS) {
      if (performance.now() - started > 1_800_000)
        throw new Error(`only ${persisted} of ${TASKS} escalations persisted after 30 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const allPersisted = performance.now() - started;

    started = performance.now();
    const again = await sweepNow(client, stack.config, input);
    const emptySweep = performance.now() - started;
    const total = Number((await owner('task_escalations').count('* as n').first())!.n);

    log('');
    log(
      `sweep of ${summary.found} stale tasks (pages of ${input.pageSize}, ${input.concurrency} signals in flight): ${summary.pages} pages, ${summary.nudged} nudged, ${summary.ended} ended`,
    );
    log(
      `  sweep workflow done in ${seconds(swept)} = ${((100 * swept) / interval).toFixed(1)}% of its ${seconds(interval)} interval (${(summary.nudged / (swept / 1000)).toFixed(0)} signals/s)`,
    );
    log(
      `  every escalation persisted ${seconds(allPersisted)} after the sweep started (${(TASKS / (allPersisted / 1000)).toFixed(0)} escalations/s)`,
    );
    log(
      `second sweep right after: found ${again.found}, ${seconds(emptySweep)}; escalations in total ${total} (expected ${TASKS})`,
    );
    log(
      `bench:escalation: tasks=${TASKS} sweep_s=${(swept / 1000).toFixed(1)} interval_s=${(interval / 1000).toFixed(0)} ratio=${(swept / interval).toFixed(3)} persisted_s=${(allPersisted / 1000).toFixed(1)} repeat_escalated=${total - TASKS}`,
    );
    if (summary.nudged !== TASKS || again.found !== 0 || total !== TASKS) process.exitCode = 1;
  } finally {
    await owner.destroy();
    await connection.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:escalation failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
