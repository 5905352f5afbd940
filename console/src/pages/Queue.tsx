/** The operator's queue (GET /v1/operators/:operatorId/queue): Jobs queued, claimed or in progress. */
import { api, type Session } from '../session';
import { Link, Listing, must, short, Status, usePoll, When } from '../ui';

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
      <Listing items={data?.items} error={error} empty="No Jobs waiting." label="Jobs">
        {(job) => (
          <li key={job.id} class="card">
            <Link href={`/jobs/${job.id}`}>Job {short(job.id)}</Link> <Status of={job.status} />
            <div class="muted">
              queued <When at={job.createdAt} />
              {job.claimedBy && <> · claimed by {job.claimedBy}</>}
            </div>
          </li>
        )}
      </Listing>
    </main>
  );
}
