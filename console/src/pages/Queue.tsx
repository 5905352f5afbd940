/**
 * The operator's work: its queue (GET /v1/operators/:operatorId/queue: Jobs waiting, claimed or
 * under way, the longest waiting first) and what it has done (…/done, the latest first). Each row
 * says who asked, where, what kind of work, and how long ago.
 */
import type { Schemas } from '../../../client';
import { age, useOperatorName, useRowFacts } from '../facts';
import { api, type Session } from '../session';
import { Link, Listing, must, PageHeading, Status, usePoll, When } from '../ui';

type JobView = Schemas['Job'];

function JobRow({ job, facts, me }: { job: JobView; facts: ReturnType<typeof useRowFacts>; me: string }) {
  const row = facts.get(job.intakeId);
  const known = typeof row === 'object' ? row : null;
  return (
    <li class="card row">
      <Link href={`/jobs/${job.id}`}>{known ? known.summary : row === 'unreadable' ? 'A job' : 'Reading…'}</Link>
      {known && (
        <div class="row-facts">
          <strong>{known.name}</strong> · {known.place ?? 'no address'} · {known.category}
        </div>
      )}
      <div class="muted">
        <Status of={job.status} />
        {job.claimedBy && <> · claimed by {job.claimedBy === me ? 'you' : job.claimedBy}</>}
        {job.finishedAt ? (
          <>
            {' '}
            · finished <When at={job.finishedAt} />
          </>
        ) : (
          <> · waiting since {age(job.createdAt)}</>
        )}
      </div>
    </li>
  );
}

export function Queue({ session }: { session: Session }) {
  const operatorId = session.principal.operatorId ?? '';
  const path = { params: { path: { operatorId } } };
  const queue = usePoll(
    () =>
      must(api.GET('/v1/operators/{operatorId}/queue', { ...path, params: { ...path.params, query: { limit: 50 } } })),
    operatorId,
  );
  const done = usePoll(
    () =>
      must(api.GET('/v1/operators/{operatorId}/done', { ...path, params: { ...path.params, query: { limit: 20 } } })),
    `done|${operatorId}`,
  );
  const facts = useRowFacts([...(queue.data?.items ?? []), ...(done.data?.items ?? [])].map((j) => j.intakeId));
  const nameOf = useOperatorName();
  const me = session.principal.sub;

  return (
    <main id="main">
      <PageHeading title={`Jobs for ${nameOf(operatorId)}`} />
      <p>
        <Link href="/tasks">Requests sent to you directly</Link> (you decide those yourselves)
      </p>
      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">To do</h2>
        <Listing items={queue.data?.items} error={queue.error} empty="Nothing waiting." label="Jobs">
          {(job) => <JobRow key={job.id} job={job} facts={facts} me={me} />}
        </Listing>
      </section>
      <section aria-labelledby="done-heading">
        <h2 id="done-heading">Done</h2>
        <Listing items={done.data?.items} error={done.error} empty="Nothing finished yet." label="Finished jobs">
          {(job) => <JobRow key={job.id} job={job} facts={facts} me={me} />}
        </Listing>
      </section>
    </main>
  );
}
