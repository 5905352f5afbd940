/** How what Temporal answers about an Update becomes the refusal the API turns into 404, 409, 422 or 503. */
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { fromRefusal } from '../../api/errors';
import { asCommandRefused, CommandRefused, refusalOf } from '../../orchestration/intake-client';
import { REFUSAL_TYPES } from '../../workflows/messages';

const reasonOf = (error: unknown): string => {
  try {
    asCommandRefused(error, 'intake-x');
  } catch (refused) {
    return refused instanceof CommandRefused ? refused.reason : `not a refusal: ${String(refused)}`;
  }
  return 'nothing thrown';
};

test.each([
  // An Update sent after the workflow finished.
  ['workflow execution already completed', 'ended'],
  // An Update in flight when the workflow closed (approve racing the reject that ends the intake).
  ['workflow update was aborted by closing workflow', 'ended'],
  // No such workflow at all.
  ['sql: no rows in result set', 'not_found'],
])('NOT_FOUND "%s" → %s', (message, reason) => {
  expect(reasonOf(new WorkflowNotFoundError(message, 'intake-x', undefined))).toBe(reason);
});

test('anything else is not a refusal', () => {
  expect(reasonOf(new Error('deadline exceeded'))).toBe('not a refusal: Error: deadline exceeded');
});

test('an Update the worker never processed was not applied: it may be sent again as it is, else 503', () => {
  const unprocessed = new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      message:
        "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
    }),
  );
  const refused = refusalOf(unprocessed, 'intake-x');
  expect(refused).toMatchObject({ reason: 'unavailable', resendable: true });
  const problem = fromRefusal(refused!);
  expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } });
});

test('an answer that does not come in time is a 503, and is not resent (it may have been accepted)', () => {
  const late = new WorkflowUpdateRPCTimeoutOrCancelledError('Timeout or cancellation waiting for update');
  expect(refusalOf(late, 'intake-x')).toMatchObject({ reason: 'unavailable', resendable: false });
});

test('a refusal answered for another request under the same Update id is an Idempotency-Key mismatch', () => {
  const conflict = (requestSha256: string) =>
    new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({
        type: REFUSAL_TYPES.conflict,
        message: 'task is rejected',
        details: [{ requestSha256 }],
      }),
    );
  expect(refusalOf(conflict('a'.repeat(64)), 'intake-x', 'a'.repeat(64))).toMatchObject({ reason: 'conflict' });
  expect(refusalOf(conflict('b'.repeat(64)), 'intake-x', 'a'.repeat(64))).toMatchObject({
    reason: 'idempotency_mismatch',
  });
  expect(fromRefusal(refusalOf(conflict('b'.repeat(64)), 'intake-x', 'a'.repeat(64))!).status).toBe(422);
});
