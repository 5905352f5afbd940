/** The linearizability checker itself, on hand-made histories of the Task model. */
import { checkLinearizable, type Operation } from '../support/linearizability';
import { taskModel, type TaskAnswer, type TaskCommand } from '../support/task-model';

const op = (
  input: TaskCommand,
  call: number,
  ret: number,
  answer: TaskAnswer | null,
): Operation<TaskCommand, TaskAnswer> => ({
  input,
  call,
  ret,
  answer,
});

test('overlapping approve and reject: either order explains the answers', () => {
  const history = [
    op({ kind: 'approve' }, 0, 10, { status: 'approved', assignee: null }),
    op({ kind: 'reject' }, 1, 9, { status: 'rejected', assignee: null }),
  ];
  const verdict = checkLinearizable(taskModel, history, (s) => s.status === 'rejected');
  expect(verdict).toMatchObject({ linearizable: true, order: [0, 1] });
});

test('two approvals answered 200 cannot both have happened', () => {
  const history = [
    op({ kind: 'approve' }, 0, 10, { status: 'approved', assignee: null }),
    op({ kind: 'approve' }, 0, 10, { status: 'approved', assignee: null }),
  ];
  expect(checkLinearizable(taskModel, history).linearizable).toBe(false);
});

test('an assign answered with another operator as assignee is not linearizable', () => {
  // The example: assign A answered 200 with a body saying assignee B.
  const history = [
    op({ kind: 'assign', operatorId: 'A' }, 0, 10, { status: 'pending', assignee: 'B' }),
    op({ kind: 'assign', operatorId: 'B' }, 0, 10, { status: 'pending', assignee: 'B' }),
  ];
  expect(checkLinearizable(taskModel, history).linearizable).toBe(false);
});

test('real time is respected: a reject that returned before the approve was called comes first', () => {
  const history = [
    op({ kind: 'reject' }, 0, 5, { status: 'rejected', assignee: null }),
    op({ kind: 'approve' }, 6, 10, { status: 'approved', assignee: null }),
  ];
  expect(checkLinearizable(taskModel, history).linearizable).toBe(false);
  history[1]!.answer = 'refused';
  expect(checkLinearizable(taskModel, history).linearizable).toBe(true);
});

test('an unknown answer may or may not have taken effect; the final state decides', () => {
  const history = [
    op({ kind: 'approve' }, 0, 10, null),
    op({ kind: 'assign', operatorId: 'A' }, 0, 10, { status: 'pending', assignee: 'A' }),
  ];
  expect(checkLinearizable(taskModel, history, (s) => s.status === 'pending').linearizable).toBe(true);
  expect(checkLinearizable(taskModel, history, (s) => s.status === 'approved').linearizable).toBe(true);
  expect(checkLinearizable(taskModel, history, (s) => s.status === 'rejected').linearizable).toBe(false);
});

test('createJob needs approval and an assignee somewhere before it', () => {
  const history = [
    op({ kind: 'createJob' }, 0, 10, { status: null, assignee: 'A' }),
    op({ kind: 'approve' }, 0, 10, { status: 'approved', assignee: null }),
    op({ kind: 'assign', operatorId: 'A' }, 0, 10, { status: 'approved', assignee: 'A' }),
  ];
  expect(checkLinearizable(taskModel, history, (s) => s.status === 'job_created')).toMatchObject({
    linearizable: true,
    order: [1, 2, 0],
  });
});

test('twenty concurrent operations are checked quickly', () => {
  const history = Array.from({ length: 20 }, (_, i) =>
    i % 2 === 0
      ? op({ kind: 'approve' }, 0, 100, i === 0 ? { status: 'approved', assignee: null } : 'refused')
      : op({ kind: 'assign', operatorId: `op${i}` }, 0, 100, { status: 'approved', assignee: `op${i}` }),
  );
  const started = Date.now();
  expect(checkLinearizable(taskModel, history).linearizable).toBe(true);
  expect(Date.now() - started).toBeLessThan(5_000);
});
