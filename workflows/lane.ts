/**
 * One change at a time, in order: work handed to a lane starts after everything handed to it
 * before has settled, whatever its outcome. The intake workflow persists its changes this way, so
 * that Updates arriving together are written in the order they were accepted.
 */
export interface Lane {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Settles once everything handed to the lane so far has. */
  drained(): Promise<unknown>;
}

export function createLane(): Lane {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const run = tail.then(work);
      tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    // The tail itself, not a promise chained to it: awaiting it takes the same turns as before.
    drained: () => tail,
  };
}
