/**
 * One Task: its decisions and escalations, and the governance acts — approve, reject, assign, and
 * the explicit "Create Job", which a confirmation dialog makes deliberate. The API decides what is
 * allowed; its refusals are shown as it words them.
 */
import { useState } from 'preact/hooks';
import type { CommandName } from '../../../client/lifecycle';
import { StepHeading, useChain } from '../chain';
import { api, type Session } from '../session';
import {
  ActForm,
  Confirm,
  Link,
  Loading,
  must,
  navigate,
  Refused,
  short,
  useAction,
  usePoll,
  When,
  words,
} from '../ui';

const ACT: Partial<Record<CommandName, string>> = {
  approve: 'Approve',
  reject: 'Reject',
  assign: 'Assign',
  createJob: 'Create Job',
};

export function Task({ id, session }: { id: string; session: Session }) {
  const path = { params: { path: { id } } };
  const { data: task, error, reload } = usePoll(() => must(api.GET('/v1/tasks/{id}', path)), id);
  const { data: chain } = useChain(task?.intakeId);
  const action = useAction();
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState(session.principal.operatorId ?? '');
  const act = (work: () => Promise<unknown>) => action.run(async () => (await work(), await reload()));

  if (!task) return <Loading title={`Task ${short(id)}`} error={error} />;
  const open = task.status === 'pending' || task.status === 'approved';
  const request = chain?.intake;

  return (
    <main id="main">
      <StepHeading chain={chain} name={`Task ${short(task.id)}`} status={task.status}>
        Task {task.id} · audience {task.audience}
        {task.operatorId ? ` (${task.operatorId})` : ''}
        {task.escalationLevel > 0 ? ` · escalation level ${task.escalationLevel}` : ''}
      </StepHeading>
      <Refused error={error} />
      {request && (
        <section class="card" aria-labelledby="request-heading">
          <h2 id="request-heading">The Request</h2>
          <dl class="facts">
            {request.details ? (
              <>
                <dt>Details</dt>
                <dd>{String(request.details)}</dd>
              </>
            ) : null}
            {chain?.request && (
              <>
                <dt>From</dt>
                <dd>
                  {chain.request.actor.name} via {chain.request.channel}, <When at={chain.request.receivedAt} />
                </dd>
              </>
            )}
          </dl>
          <Link href={`/intakes/${task.intakeId}`}>Follow the Intake</Link>
        </section>
      )}

      <section class="card" aria-labelledby="acts-heading">
        <h2 id="acts-heading">Decide</h2>
        <Refused error={action.error} />
        {task.jobId ? (
          <p>
            The Job exists: <Link href={`/jobs/${task.jobId}`}>Job {short(task.jobId)}</Link>
          </p>
        ) : !open ? (
          <p class="muted">This Task is {task.status}; nothing more can be decided.</p>
        ) : (
          <>
            <ActForm
              onSubmit={() =>
                act(() =>
                  must(api.POST('/v1/tasks/{id}/approve', { ...path, body: note.trim() ? { note: note.trim() } : {} })),
                )
              }
            >
              <label>
                Note (optional)
                <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
              <button class="primary" disabled={action.busy || task.status !== 'pending'}>
                {ACT.approve}
              </button>
            </ActForm>
            <ActForm
              onSubmit={() =>
                act(() => must(api.POST('/v1/tasks/{id}/assign', { ...path, body: { operatorId: assignee.trim() } })))
              }
            >
              <label>
                Operator to assign
                <input
                  name="operatorId"
                  required
                  value={assignee}
                  onInput={(e) => setAssignee(e.currentTarget.value)}
                />
              </label>
              <button disabled={action.busy}>{ACT.assign}</button>
            </ActForm>
            <div class="act">
              <p>
                {task.status === 'approved' && task.assigneeOperatorId
                  ? `Approved and assigned to ${task.assigneeOperatorId}: the Job can be created.`
                  : 'A Job can be created once the Task is approved and assigned.'}
              </p>
              <Confirm
                label={ACT.createJob!}
                title="Create the Job?"
                confirmLabel="Yes, create the Job"
                disabled={action.busy}
                onConfirm={() => act(() => must(api.POST('/v1/tasks/{id}/job', { ...path, body: {} })))}
              >
                <p>
                  This queues the work for operator <strong>{task.assigneeOperatorId ?? '(nobody yet)'}</strong>.
                  Approval and assignment never create a Job by themselves; this is the explicit act that does, and it
                  cannot be undone.
                </p>
              </Confirm>
            </div>
            <ActForm>
              <label>
                Reason for rejecting
                <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              </label>
              <Confirm
                label={ACT.reject!}
                title="Reject this Task?"
                confirmLabel="Reject"
                danger
                disabled={action.busy || reason.trim() === ''}
                onConfirm={() =>
                  act(() => must(api.POST('/v1/tasks/{id}/reject', { ...path, body: { reason: reason.trim() } })))
                }
              >
                <p>The Intake ends as rejected: “{reason.trim()}”.</p>
              </Confirm>
            </ActForm>
          </>
        )}
        {task.jobId && session.principal.role === 'operator' && (
          <button type="button" onClick={() => navigate(`/jobs/${task.jobId}`)}>
            Go to the Job
          </button>
        )}
      </section>

      <section class="card" aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Decisions</h2>
        {task.decisions.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ol class="timeline">
            {task.decisions.map((d) => (
              <li key={d.id}>
                <strong>{words(d.kind)}</strong>
                {typeof d.details.operatorId === 'string' && ` → ${d.details.operatorId}`}
                {typeof d.details.note === 'string' && ` (“${d.details.note}”)`}
                {typeof d.details.reason === 'string' && ` (“${d.details.reason}”)`}
                <div class="muted">
                  {d.by.sub} ({d.by.role}, {d.audience} audience), <When at={d.at} />
                </div>
              </li>
            ))}
          </ol>
        )}
        <h2>Escalations</h2>
        {task.escalations.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ol class="timeline">
            {task.escalations.map((e) => (
              <li key={e.id}>
                <strong>
                  {e.fromAudience} (level {e.fromLevel}) → {e.toAudience} (level {e.toLevel})
                </strong>
                <div class="muted">
                  {e.reason}, <When at={e.at} />
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}
