/**
 * A small chaos run inside `npm test`: a few dozen lifecycles through the HTTP API while the
 * worker and the Temporal server are SIGKILLed, Postgres is cut off, and clients time out,
 * retry and send duplicates. Nothing acknowledged may be lost or duplicated. (The large run is
 * `npm run chaos -- --lifecycles 300`.)
 */
import { FAULT_KINDS, runChaos } from '../measure/chaos/run';

test('every fault kind at once: nothing lost, nothing duplicated, the chain verifies, nothing differs', async () => {
  const lines: string[] = [];
  const result = await runChaos({
    lifecycles: 16,
    concurrency: 8,
    faults: FAULT_KINDS,
    faultEveryMs: 3_000,
    seed: 20261126,
    log: (l) => lines.push(l),
  });
  expect({
    lost: result.reconciliation.lost,
    duplicated: result.reconciliation.duplicated,
    mismatches: result.mismatches,
    anomalies: result.anomalies,
  }).toEqual({ lost: [], duplicated: [], mismatches: [], anomalies: [] });
  expect(result.reconciliation.chain).toMatchObject({ valid: true, breaks: [] });
  // And every intake's workflow agrees with every row of it.
  expect(result.oneTruth).toMatchObject({ intakes: 16, compared: 16, inFlight: [], differences: [] });
  expect(result.reconciliation.reachedEnd).toBe(16);
  // Each kind of fault really happened.
  expect(result.injected.worker).toBeGreaterThan(0);
  expect(result.injected.temporal).toBeGreaterThan(0);
  expect(result.injected.postgres).toBeGreaterThan(0);
  expect(result.client.timeouts + result.client.duplicates).toBeGreaterThan(0);
  expect(result.summary).toBe('chaos: lifecycles=16 completed=16 lost=0 duplicated=0 chain=valid differences=0');
}, 420_000);
