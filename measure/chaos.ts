/**
 * `npm run chaos -- --lifecycles 300 --concurrency 16 [--faults worker,temporal,postgres,clients] [--every 4000] [--seed 1] [--keep]`
 * Drives whole lifecycles through the HTTP API while injecting faults, reconciles, prints
 * figures; the last line is the verdict. Exit code 1 on any loss, duplicate or broken chain.
 */
import { parseArgs } from 'node:util';
import { unavailable } from './chaos/client';
import { FAULT_KINDS, runChaos, type FaultKind } from './chaos/run';

const byStatus = (counts: Record<number, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${status}×${n}`)
    .join(', ') || 'none';

const { values } = parseArgs({
  options: {
    lifecycles: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    faults: { type: 'string', default: FAULT_KINDS.join(',') },
    every: { type: 'string', default: '4000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    keep: { type: 'boolean', default: false },
  },
});

const faults = values.faults === 'none' ? [] : values.faults!.split(',').map((f) => f.trim());
const unknown = faults.filter((f) => !FAULT_KINDS.includes(f as FaultKind));
const numbers = {
  lifecycles: Number(values.lifecycles),
  concurrency: Number(values.concurrency),
  every: Number(values.every),
  seed: Number(values.seed),
};
if (
  unknown.length > 0 ||
  Object.values(numbers).some((n) => !Number.isInteger(n) || n < 0) ||
  numbers.lifecycles < 1 ||
  numbers.concurrency < 1
) {
  process.stderr.write(
    `usage: npm run chaos -- --lifecycles N --concurrency C [--faults ${FAULT_KINDS.join(',')}|none] [--every ms] [--seed n] [--keep]\n`,
  );
  process.exit(2);
}

runChaos({
  lifecycles: numbers.lifecycles,
  concurrency: numbers.concurrency,
  faults: faults as FaultKind[],
  faultEveryMs: numbers.every,
  seed: numbers.seed,
  keep: values.keep,
  log: (l) => process.stdout.write(`${l}\n`),
}).then(
  (r) => {
    const out = (l: string) => process.stdout.write(`${l}\n`);
    out('');
    out(
      `faults injected: worker kills=${r.injected.worker} temporal kills=${r.injected.temporal} postgres outages=${r.injected.postgres} client timeouts=${r.client.timeouts} duplicate sends=${r.client.duplicates}`,
    );
    out(
      `client: ${r.client.calls} calls, ${r.client.retries} retries, ${unavailable(r.client)} 5xx answers (${byStatus(r.client.unavailableByStatus)}); ${r.seconds.toFixed(1)}s`,
    );
    out(
      `records: ${r.reconciliation.chain.records} sealed, chain ${r.reconciliation.chain.valid ? 'verifies end to end' : 'BROKEN'}`,
    );
    for (const line of [
      ...r.reconciliation.lost.map((l) => `LOST ${l}`),
      ...r.reconciliation.duplicated.map((d) => `DUPLICATED ${d}`),
      ...r.mismatches.map((m) => `MISMATCH ${m}`),
      ...r.anomalies.map((a) => `ANOMALY ${a}`),
      ...r.reconciliation.chain.breaks.map((b) => `CHAIN ${b.recordId} ${b.check}: ${b.detail}`),
      ...r.oneTruth.differences.map((d) => `DIFFERENCE intake ${d.intakeId} ${d.kind}: ${d.detail}`),
      ...r.oneTruth.inFlight.map((id) => `IN FLIGHT intake ${id}: never settled, not compared`),
    ].slice(0, 50))
      out(line);
    out(r.summary);
    process.exitCode = r.ok ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
