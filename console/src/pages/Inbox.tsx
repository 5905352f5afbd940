/**
 * The governance inbox (GET /v1/tasks): an admin sees the admin audience (or any operator's, with the
 * audience filter); an operator its own operator-audience Tasks. Filters: open (the default), one status
 * or any, and escalated only. Each row says who asked, where, what kind of work, and how long it has waited.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import { age, say, useOperatorName, useRowFacts } from '../facts';
import { api, type Session } from '../session';
import { Link, Listing, must, navigate, PageHeading, Refused, short, Status, useAction, usePoll, When } from '../ui';

type Task = Schemas['Task'];
type TaskStatus = Task['status'];
type Filter = TaskStatus | 'open' | '';

const STATUSES: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: `Only ${say('pending')}` },
  { value: 'approved', label: `Only ${say('approved')}` },
  { value: 'job_created', label: say('job_created') },
  { value: 'rejected', label: say('rejected') },
  { value: 'withdrawn', label: say('withdrawn') },
  { value: '', label: 'Any status' },
];

/** Most urgent first: escalated before not, then the longest waiting. */
const urgency = (a: Task, b: Task) =>
  b.escalationLevel - a.escalationLevel || Date.parse(a.createdAt) - Date.parse(b.createdAt);

export function Inbox({ session, query }: { session: Session; query: URLSearchParams }) {
  const isAdmin = session.principal.role === 'admin';
  const audience = isAdmin && query.get('audience') === 'operator' ? 'operator' : isAdmin ? 'admin' : 'operator';
  const status = (query.has('status') ? query.get('status') : 'open') as Filter;
  const escalated = query.get('escalated') === 'true';
  const key = `${audience}|${status}|${escalated}`;
  const list = (one?: TaskStatus) =>
    must(
      api.GET('/v1/tasks', {
        params: {
          query: { audience, limit: 50, ...(one ? { status: one } : {}), ...(escalated ? { escalated: 'true' } : {}) },
        },
      }),
    ).then((page) => page.items);
  const { data, error } = usePoll(
    async () =>
      (status === 'open'
        ? (await Promise.all([list('pending'), list('approved')])).flat()
        : await list(status || undefined)
      ).sort(urgency),
    key,
  );
  const facts = useRowFacts(data?.map((t) => t.intakeId));
  const nameOf = useOperatorName();
  const filter = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    navigate(`/tasks?${next.toString()}`);
  };

  return (
    <main id="main">
      <PageHeading title="Inbox" />
      <p class="muted">Requests waiting for a decision, the longest waiting first (escalated ones above).</p>
      <form class="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {isAdmin && (
          <label>
            Whose
            <select value={audience} onChange={(e) => filter({ audience: e.currentTarget.value })}>
              <option value="admin">The admin team’s</option>
              <option value="operator">Operators’ own (read only until escalated)</option>
            </select>
          </label>
        )}
        <label>
          Status
          <select value={status ?? 'open'} onChange={(e) => filter({ status: e.currentTarget.value })}>
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label class="choice">
          <input
            type="checkbox"
            checked={escalated}
            onChange={(e) => filter({ escalated: e.currentTarget.checked ? 'true' : null })}
          />
          <span>Escalated only</span>
        </label>
      </form>
      <Listing items={data} error={error} empty="No requests match." label="Tasks" class="list tasks">
        {(task) => {
          const row = facts.get(task.intakeId);
          const known = typeof row === 'object' ? row : null;
          return (
            <li key={task.id} class="card row">
              <Link href={`/tasks/${task.id}`}>
                {known ? known.summary : row === 'unreadable' ? `Task ${short(task.id)}` : 'Reading…'}
              </Link>
              {known && (
                <div class="row-facts">
                  <strong>{known.name}</strong> · {known.place ?? 'no address'} · {known.category}
                </div>
              )}
              <div class="muted">
                <Status of={task.status} />
                {task.escalationLevel > 0 && <span class="escalated"> · escalated (level {task.escalationLevel})</span>}
                {task.assigneeOperatorId && <> · assigned to {nameOf(task.assigneeOperatorId)}</>} · asked{' '}
                {age(task.createdAt)}
              </div>
            </li>
          );
        }}
      </Listing>
      {isAdmin && <CodecSession />}
    </main>
  );
}

/**
 * Temporal payloads are encrypted; an admin reads them in the Temporal Web UI through the API's
 * codec server. This sets its session cookie (HttpOnly, for /codec only) in this browser.
 */
function CodecSession() {
  const { busy, error, run } = useAction();
  const [until, setUntil] = useState<string | null>(null);
  return (
    <section class="card" aria-labelledby="codec-heading">
      <h2 id="codec-heading">Temporal Web UI</h2>
      <p class="muted">
        Workflow payloads are encrypted. To read them in the Web UI from this browser, start a codec session (its Codec
        Server setting must include cross-origin credentials).
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => void run(async () => setUntil((await must(api.POST('/codec/session'))).expiresAt))}
      >
        Start a codec session
      </button>
      <p role="status">
        {until && (
          <>
            Payloads decode in the Web UI until <When at={until} />.
          </>
        )}
      </p>
      <Refused error={error} />
    </section>
  );
}
