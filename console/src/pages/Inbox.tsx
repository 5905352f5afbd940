/**
 * The governance inbox (GET /v1/tasks): an admin sees the admin audience (or any operator's, with the
 * audience filter); an operator its own operator-audience Tasks. Filters: status, and escalated only.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import { askedFor } from '../chain';
import { api, type Session } from '../session';
import { Link, Listing, must, navigate, Refused, short, Status, useAction, usePoll, When } from '../ui';

type Task = Schemas['Task'];
type Status = Task['status'];

const STATUSES: Array<{ value: Status | ''; label: string }> = [
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'job_created', label: 'Job created' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'withdrawn', label: 'Withdrawn' },
  { value: '', label: 'Any status' },
];

/** A Task carries ids only; what was asked is read once from its Intake (a Request never changes). */
const summaries = new Map<string, string>();
function useSummaries(tasks: Task[] | undefined): Map<string, string> {
  const [, setTick] = useState(0);
  useEffect(() => {
    for (const task of tasks ?? []) {
      if (summaries.has(task.intakeId)) continue;
      summaries.set(task.intakeId, '…');
      void must(api.GET('/v1/intakes/{id}', { params: { path: { id: task.intakeId } } })).then(
        (chain) => {
          summaries.set(task.intakeId, askedFor(chain));
          setTick((t) => t + 1);
        },
        () => summaries.set(task.intakeId, `Intake ${short(task.intakeId)}`),
      );
    }
  }, [tasks]);
  return summaries;
}

export function Inbox({ session, query }: { session: Session; query: URLSearchParams }) {
  const isAdmin = session.principal.role === 'admin';
  const audience = isAdmin && query.get('audience') === 'operator' ? 'operator' : isAdmin ? 'admin' : 'operator';
  const status = (query.has('status') ? query.get('status') : 'pending') as Status | '';
  const escalated = query.get('escalated') === 'true';
  const key = `${audience}|${status}|${escalated}`;
  const { data, error } = usePoll(
    () =>
      must(
        api.GET('/v1/tasks', {
          params: {
            query: { audience, limit: 50, ...(status ? { status } : {}), ...(escalated ? { escalated: 'true' } : {}) },
          },
        }),
      ),
    key,
  );
  const names = useSummaries(data?.items);
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
      <h1>Governance inbox</h1>
      <form class="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {isAdmin && (
          <label>
            Audience
            <select value={audience} onChange={(e) => filter({ audience: e.currentTarget.value })}>
              <option value="admin">Admin team</option>
              <option value="operator">Operators (read only until escalated)</option>
            </select>
          </label>
        )}
        <label>
          Status
          <select value={status ?? ''} onChange={(e) => filter({ status: e.currentTarget.value })}>
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
      <Listing items={data?.items} error={error} empty="No Tasks match." label="Tasks" class="list tasks">
        {(task) => (
          <li key={task.id} class="card">
            <Link href={`/tasks/${task.id}`}>{names.get(task.intakeId) ?? `Task ${short(task.id)}`}</Link>
            <div class="muted">
              <Status of={task.status} />
              {task.escalationLevel > 0 && <span class="escalated"> · escalated (level {task.escalationLevel})</span>}
              {task.assigneeOperatorId && <> · assigned to {task.assigneeOperatorId}</>} · <When at={task.createdAt} />
            </div>
          </li>
        )}
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
