/**
 * A linearizability checker (the Wing–Gong search, with memoised states, as in Lowe's and
 * Porcupine's checkers): given concurrent operations with their call and return times and
 * what they answered, is there one sequential order of them that respects real time (an
 * operation that returned before another was called comes first) in which the model
 * answers every operation as it was answered, and ends in the observed final state?
 *
 * Operations whose answer is unknown (a timeout, a 503) may have taken effect or not: the
 * search may place them anywhere or leave them out.
 */
export interface Operation<Input, Answer> {
  input: Input;
  /** Milliseconds, from one clock: when the call was made and when its answer arrived. */
  call: number;
  ret: number;
  /** null when the answer says nothing about whether it took effect. */
  answer: Answer | null;
}

export interface Model<State, Input, Answer> {
  initial: State;
  /** The state after `input`, and the answer the system should give; null when it must be refused. */
  step(state: State, input: Input): { state: State; answer: Answer } | null;
  /** Whether an observed answer is the model's (a refusal is the answer `refused` gives). */
  matches(observed: Answer, expected: Answer | 'refused'): boolean;
  key(state: State): string;
}

export interface Verdict<State> {
  linearizable: boolean;
  /** The indexes of the operations in a sequential order that explains them all. */
  order?: number[];
  final?: State;
}

export function checkLinearizable<State, Input, Answer>(
  model: Model<State, Input, Answer>,
  operations: Array<Operation<Input, Answer>>,
  observedFinal?: (state: State) => boolean,
): Verdict<State> {
  const n = operations.length;
  if (n > 30) throw new Error('checkLinearizable: at most 30 operations per history');
  const seen = new Set<string>();
  const order: number[] = [];
  const all = (1 << n) - 1;

  const search = (done: number, state: State): State | null => {
    if (done === all) {
      return !observedFinal || observedFinal(state) ? state : null;
    }
    const memo = `${done}|${model.key(state)}`;
    if (seen.has(memo)) return null;
    seen.add(memo);
    // Only an operation called before every pending one returned can be next.
    let horizon = Infinity;
    for (let i = 0; i < n; i += 1) if (!(done & (1 << i))) horizon = Math.min(horizon, operations[i]!.ret);
    for (let i = 0; i < n; i += 1) {
      const op = operations[i]!;
      if (done & (1 << i) || op.call > horizon) continue;
      const next = model.step(state, op.input);
      if (op.answer !== null && !model.matches(op.answer, next ? next.answer : 'refused')) {
        continue;
      }
      order.push(i);
      const found = search(done | (1 << i), next ? next.state : state);
      if (found) return found;
      order.pop();
      if (op.answer === null) {
        // Or it never took effect: drop it from the history.
        order.push(-1 - i);
        const skipped = search(done | (1 << i), state);
        if (skipped) return skipped;
        order.pop();
      }
    }
    return null;
  };

  const final = search(0, model.initial);
  return final ? { linearizable: true, order: order.filter((i) => i >= 0), final } : { linearizable: false };
}
