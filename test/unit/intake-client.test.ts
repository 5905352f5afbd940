/** How what Temporal answers about an Update becomes the refusal the API turns into 404 or 409. */
import { WorkflowNotFoundError } from '@temporalio/common';
import { asCommandRefused, CommandRefused } from '../../lib/intake-client';

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
