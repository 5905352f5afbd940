/** The operator's queue (GET /v1/operators/:operatorId/queue): Jobs queued, claimed or in progress. */
import { api, type Session } from '../session';
import { Link, must, Refused, short, usePoll, When } from '../ui';

export function Queue({ session }: { session: Session }) {
  const operatorId = session.principal.operatorId ?? '';
  const { data, error } = usePoll(
    () => must(api.GET('/v1/operators/{operatorId}/queue', { params: { path: { operatorId }, query: { limit: 50 } } })),
    operatorId,
  );
  return (
    <main id="main">
      <h1>Queue of {operatorId}</h1>
      <p>
        <Link href="/tasks">Tasks to govern</Link> (requests sent to {operatorId} directly)
      </p>
      <Refused error={error} />
      {!data ? (
        <p aria-busy="true">Loading…</p>
      ) : data.items.length === 0 ? (
        <p class="muted">No Jobs waiting.</p>
      ) : (
        <ul class="list" aria-label="Jobs">
          {data.items.map((job) => (
            <li key={job.id} class="card">
              <Link href={`/jobs/${job.id}`}>Job {short(job.id)}</Link>{' '}
              <span class={`status status-${job.status}`}>{job.status.replace(/_/g, ' ')}</span>
              <div class="muted">
                queued <When at={job.createdAt} />
                {job.claimedBy && <> · claimed by {job.claimedBy}</>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
