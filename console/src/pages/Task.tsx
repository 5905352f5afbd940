/**
 * One Task, for whoever governs it: first the facts of the request (who asked, where, what, when,
 * the photos so far), then the decision — approve, assign an operator picked from the directory,
 * create the Job, or decline. An act the Task's state does not allow is not offered, or is offered
 * disabled with the reason beside it; after any act or refusal the page reads the Task again.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import { askedFor, useChain } from '../chain';
import { RequestFacts, useOperators } from '../facts';
import { api, type Session } from '../session';
import {
  ActForm,
  Confirm,
  Link,
  Loading,
  must,
  PageHeading,
  Refused,
  short,
  Status,
  useAction,
  usePoll,
  When,
  Why,
  words,
} from '../ui';

type TaskView = Schemas['Task'];

/** Whether this principal governs the Task (the API decides; this only avoids offering what it would refuse). */
const governs = (task: TaskView, session: Session) =>
  task.audience === 'operator'
    ? session.principal.role === 'operator' && session.principal.operatorId === task.operatorId
    : session.principal.role === 'admin';

export function Task({ id, session }: { id: string; session: Session }) {
  const path = { params: { path: { id } } };
  const { data: task, error, reload } = usePoll(() => must(api.GET('/v1/tasks/{id}', path)), id);
  const { data: chain, reload: reloadChain } = useChain(task?.intakeId);
  const { operators, error: directoryError } = useOperators();
  const action = useAction({ refresh: () => Promise.all([reload(), reloadChain()]) });
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState('');

  if (!task) return <Loading title={`Task ${short(id)}`} error={error} />;
  const open = task.status === 'pending' || task.status === 'approved';
  const mayGovern = governs(task, session);
  const nameOf = (operatorId: string | null) =>
    operatorId ? (operators?.find((o) => o.id === operatorId)?.displayName ?? operatorId) : null;
  const assignee = nameOf(task.assigneeOperatorId);
  // An operator-audience Task may only go to its own operator; an admin picks from the directory.
  const choices =
    task.audience === 'operator'
      ? (operators ?? []).filter((o) => o.id === task.operatorId)
      : (operators ?? []).filter(
          (o) => !chain || o.categories.length === 0 || o.categories.includes(chain.intake.category as never),
        );
  const others = task.audience === 'operator' ? [] : (operators ?? []).filter((o) => !choices.includes(o));
  const assignTo = picked || task.assigneeOperatorId || '';
  const createJobWhy =
    task.status === 'pending'
      ? 'Approve the Task first; then a Job can be created.'
      : !task.assigneeOperatorId
        ? 'Assign an operator first; then a Job can be created.'
        : null;
  const title = chain ? askedFor(chain) : `Task ${short(task.id)}`;

  return (
    <main id="main">
      <PageHeading title={title} />
      <p>
        <Status of={task.status} />
        {task.escalationLevel > 0 && <span class="escalated"> · escalated (level {task.escalationLevel})</span>}
        {assignee && <span class="muted"> · assigned to {assignee}</span>}
      </p>
      <Refused error={error} />
      {chain ? <RequestFacts chain={chain} heading="The request" /> : <p aria-busy="true">Reading the request…</p>}

      <section class="card" aria-labelledby="acts-heading">
        <h2 id="acts-heading">Decide</h2>
        <Refused error={action.error} />
        {task.jobId ? (
          <p>
            The Job exists: <Link href={`/jobs/${task.jobId}`}>Job for {assignee ?? 'the operator'}</Link>
            {session.principal.role === 'admin' ? ' (the operator’s team claims and does it).' : ''}
          </p>
        ) : !open ? (
          <p class="muted">This Task is {words(task.status)}: nothing more can be decided.</p>
        ) : !mayGovern ? (
          <p class="muted">
            {task.audience === 'operator'
              ? 'This Task is for its operator to decide; you can read it.'
              : 'This Task is for the admin team to decide; you can read it.'}
          </p>
        ) : (
          <>
            {task.status === 'pending' && (
              <ActForm
                onSubmit={() =>
                  action.run(() =>
                    must(
                      api.POST('/v1/tasks/{id}/approve', { ...path, body: note.trim() ? { note: note.trim() } : {} }),
                    ),
                  )
                }
              >
                <label>
                  Note for the operator (optional)
                  <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
                </label>
                <button class="primary" disabled={action.busy}>
                  Approve
                </button>
              </ActForm>
            )}
            <ActForm
              onSubmit={() =>
                assignTo &&
                action.run(() => must(api.POST('/v1/tasks/{id}/assign', { ...path, body: { operatorId: assignTo } })))
              }
            >
              <Refused error={directoryError} />
              <label>
                Operator to assign
                <select
                  name="operatorId"
                  required
                  value={assignTo}
                  aria-describedby="assign-why"
                  onChange={(e) => setPicked(e.currentTarget.value)}
                >
                  <option value="" disabled>
                    {operators ? 'Choose an operator…' : 'Reading the operators…'}
                  </option>
                  {choices.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.displayName} — {o.categories.map(words).join(', ') || 'not described yet'}
                    </option>
                  ))}
                  {others.length > 0 && (
                    <optgroup label="Other kinds of work">
                      {others.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.displayName} — {o.categories.map(words).join(', ')}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </select>
              </label>
              <Why
                id="assign-why"
                reason={
                  operators && operators.length === 0
                    ? 'No operator is registered yet: an admin registers one (PUT /v1/operators/{id}).'
                    : assignTo && assignTo === task.assigneeOperatorId
                      ? `Assigned to ${assignee}. Pick another to re-assign.`
                      : null
                }
              />
              <button disabled={action.busy || !assignTo || assignTo === task.assigneeOperatorId}>
                {task.assigneeOperatorId ? 'Re-assign' : 'Assign'}
              </button>
            </ActForm>
            <div class="act">
              <p id="create-job-why" class={createJobWhy ? 'why' : ''}>
                {createJobWhy ?? `Approved and assigned to ${assignee}: the Job can be created.`}
              </p>
              <Confirm
                label="Create Job"
                title="Create the Job?"
                confirmLabel="Yes, create the Job"
                describedBy="create-job-why"
                disabled={action.busy || createJobWhy !== null}
                onConfirm={() => action.run(() => must(api.POST('/v1/tasks/{id}/job', { ...path, body: {} })))}
              >
                <p>
                  <strong>{assignee}</strong> gets this work in their queue, and the requester sees that it is on its
                  way. This cannot be undone: afterwards the request can no longer be declined or withdrawn.
                </p>
              </Confirm>
            </div>
            <ActForm>
              <label>
                Reason for declining (the requester sees it)
                <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              </label>
              <Why id="reject-why" reason={reason.trim() === '' ? 'Give a reason to decline.' : null} />
              <Confirm
                label="Decline"
                title="Decline this request?"
                confirmLabel="Decline the request"
                danger
                describedBy="reject-why"
                disabled={action.busy || reason.trim() === ''}
                onConfirm={() =>
                  action.run(() =>
                    must(api.POST('/v1/tasks/{id}/reject', { ...path, body: { reason: reason.trim() } })),
                  )
                }
              >
                <p>The request ends here and the requester is told why: “{reason.trim()}”. This cannot be undone.</p>
              </Confirm>
            </ActForm>
          </>
        )}
      </section>

      <details class="card">
        <summary>Decisions and escalations ({task.decisions.length + task.escalations.length})</summary>
        {task.decisions.length === 0 ? (
          <p class="muted">No decision yet.</p>
        ) : (
          <ol class="timeline" aria-label="Decisions">
            {task.decisions.map((d) => (
              <li key={d.id}>
                <strong>{words(d.kind)}</strong>
                {typeof d.details.operatorId === 'string' && ` → ${nameOf(d.details.operatorId)}`}
                {typeof d.details.note === 'string' && ` (“${d.details.note}”)`}
                {typeof d.details.reason === 'string' && ` (“${d.details.reason}”)`}
                <div class="muted">
                  {d.by.sub} ({d.by.role}), <When at={d.at} />
                </div>
              </li>
            ))}
          </ol>
        )}
        {task.escalations.length > 0 && (
          <ol class="timeline" aria-label="Escalations">
            {task.escalations.map((e) => (
              <li key={e.id}>
                <strong>
                  Escalated from the {e.fromAudience} team to the {e.toAudience} team
                </strong>
                <div class="muted">
                  {e.reason}, <When at={e.at} />
                </div>
              </li>
            ))}
          </ol>
        )}
        <p class="muted">
          Task {task.id} · <Link href={`/intakes/${task.intakeId}`}>the request’s whole history</Link>
        </p>
      </details>
    </main>
  );
}
