/**
 * The Task's state machine as the governance commands see it (docs/ARCHITECTURE.md, "Who may do
 * what, when"): the model that burst histories are checked against for linearizability.
 */
import type { Model } from './linearizability';

export interface TaskModelState {
  status: 'pending' | 'approved' | 'rejected' | 'job_created';
  assignee: string | null;
}

export type TaskCommand =
  { kind: 'approve' } | { kind: 'reject' } | { kind: 'assign'; operatorId: string } | { kind: 'createJob' };

/** What a command answered: refused (409), or the Task (or Job) it returned. */
export type TaskAnswer = 'refused' | { status: string | null; assignee: string | null };

const open = (s: TaskModelState) => s.status === 'pending' || s.status === 'approved';

export const taskModel: Model<TaskModelState, TaskCommand, TaskAnswer> = {
  initial: { status: 'pending', assignee: null },
  step(s, c) {
    let next: TaskModelState | null = null;
    if (c.kind === 'approve' && s.status === 'pending') next = { ...s, status: 'approved' };
    if (c.kind === 'reject' && open(s)) next = { ...s, status: 'rejected' };
    if (c.kind === 'assign' && open(s)) next = { ...s, assignee: c.operatorId };
    if (c.kind === 'createJob' && s.status === 'approved' && s.assignee) next = { ...s, status: 'job_created' };
    if (!next) return null;
    // createJob answers the Job (its operator), the others the Task after the change.
    const answer =
      c.kind === 'createJob'
        ? { status: null, assignee: next.assignee }
        : { status: next.status, assignee: next.assignee };
    return { state: next, answer };
  },
  matches(observed, expected) {
    if (observed === 'refused' || expected === 'refused') return observed === expected;
    return observed.status === expected.status && observed.assignee === expected.assignee;
  },
  key: (s) => `${s.status}/${s.assignee}`,
};
