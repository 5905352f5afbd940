/**
 * The orchestration floor: a workflow with the intake workflow's shape and nothing else. It is
 * started by an Update-with-Start that answers once a first activity has run, then takes one
 * Update per command, each answered after its own activity, in one lane; after the last it runs
 * two more activities (seal, emit) and ends. The activities do nothing. Its own bundle, worker
 * process and task queue. `localWrites` mirrors an intake workflow whose writes are local activities.
 * `minimal` (Fmin) takes the same Updates in the same lane and answers them with no activity at all,
 * seal and emit included: what the shape alone costs (Update round trips, workflow tasks, history).
 */
import {
  allHandlersFinished,
  condition,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import { createLane } from '../../workflows/lane';

export interface FloorActivities {
  noop(step: string): Promise<string>;
}

export const floorSubmitted = defineUpdate<string, []>('submitted');
export const floorCommand = defineUpdate<string, [string]>('command');

const act = proxyActivities<FloorActivities>({ startToCloseTimeout: '15 seconds' });
const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '15 seconds' });

export interface FloorInput {
  commands: number;
  /** The writes of the start and of each command as local activities (sealing stays two activities). */
  localWrites: boolean;
  /** No activities at all: every write, the seal and the emit are skipped (Fmin). */
  minimal?: boolean;
}

export async function floorWorkflow({ commands, localWrites, minimal = false }: FloorInput): Promise<number> {
  const write = (step: string) => (minimal ? Promise.resolve(step) : (localWrites ? local : act).noop(step));
  const lane = createLane();
  let persisted = false;
  let done = 0;
  setHandler(floorSubmitted, async () => {
    await condition(() => persisted);
    return 'ok';
  });
  setHandler(
    floorCommand,
    (step) =>
      lane.run(async () => {
        const answer = await write(step);
        done += 1;
        return answer;
      }),
    { validator: (step) => void step },
  );
  await lane.run(async () => {
    await write('persist');
    persisted = true;
  });
  await condition(() => done >= commands);
  await lane.drained();
  if (!minimal) {
    await act.noop('seal');
    await act.noop('emit');
  }
  await condition(allHandlersFinished);
  return done;
}
