/** Percentiles and the closed-loop driver every phase of the benchmark uses. */

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? NaN
      : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN };
}

/** Milliseconds since `started` (performance.now()). */
export const since = (started: number) => performance.now() - started;

export async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  samples.push(since(started));
  return result;
}

export interface LoopResult {
  done: number;
  seconds: number;
  /** Steady-state rate: completions between the ramp-up and the drain (all of them when the run is too short for that). */
  perSecond: number;
  /** The completions and the time that rate is made of, for adding runs together. */
  window: { done: number; seconds: number };
}

/**
 * Closed loop: `concurrency` lanes each start the next item as soon as their last one ends,
 * until `total` items have run. Any failure stops the run (a benchmark of errors is no benchmark).
 */
export async function closedLoop(
  total: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<LoopResult> {
  let next = 0;
  const ends: number[] = [];
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      await work(index);
      ends.push(performance.now());
    }
  };
  const lanes = Math.min(concurrency, total);
  await Promise.all(Array.from({ length: lanes }, lane));
  const seconds = since(started) / 1000;
  // Every lane has finished one item by completion #lanes; none is idle before completion #(total - lanes).
  const from = lanes - 1;
  const to = total - lanes - 1;
  const window =
    to - from >= lanes ? { done: to - from, seconds: (ends[to]! - ends[from]!) / 1000 } : { done: total, seconds };
  return { done: total, seconds, perSecond: window.done / window.seconds, window };
}

export { setTimeout as sleep } from 'node:timers/promises';
