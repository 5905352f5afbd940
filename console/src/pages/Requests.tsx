/** The requester: submit a Request, and the Requests submitted from this browser. */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import { categoryValues } from '../../../client/openapi';
import { api, type Session } from '../session';
import { Link, must, navigate, Refused, short, useAction, When, words } from '../ui';

type Category = Schemas['Category'];

/** What this browser remembers of a Request: its id, category and time, never its (personal) text. */
interface Submitted {
  intakeId: string;
  category: string;
  at: string;
}

// The contract has no "my requests" list, so the console remembers what was submitted here:
// localStorage outlives the tab and no erasure reaches it, so it keeps no personal value.
const storeKey = (sub: string) => `qtm.console.intakes.${sub}`;
export const submittedHere = (sub: string): Submitted[] => {
  try {
    return JSON.parse(localStorage.getItem(storeKey(sub)) ?? '[]') as Submitted[];
  } catch {
    return [];
  }
};
const remember = (sub: string, entry: Submitted) =>
  localStorage.setItem(storeKey(sub), JSON.stringify([entry, ...submittedHere(sub)].slice(0, 50)));

export function Requests({ session }: { session: Session }) {
  const [form, setForm] = useState({
    name: '',
    category: 'plumbing' as Category,
    summary: '',
    details: '',
    address: '',
    operatorId: '',
  });
  const [openId, setOpenId] = useState('');
  const action = useAction();
  const set = (field: keyof typeof form) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: event.currentTarget.value });
  const mine = submittedHere(session.principal.sub);

  return (
    <main id="main">
      <h1>Ask for service</h1>
      <form
        class="card"
        aria-labelledby="submit-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const submitted = await must(
              api.POST('/v1/requests', {
                body: {
                  channel: 'web',
                  actor: { kind: 'person', name: form.name.trim() || session.principal.sub },
                  request: {
                    category: form.category,
                    summary: form.summary.trim(),
                    ...(form.details.trim() ? { details: form.details.trim() } : {}),
                    ...(form.address.trim() ? { location: { address: form.address.trim() } } : {}),
                  },
                  ...(form.operatorId.trim() ? { operatorId: form.operatorId.trim() } : {}),
                },
              }),
            );
            remember(session.principal.sub, {
              intakeId: submitted.intakeId,
              category: form.category,
              at: new Date().toISOString(),
            });
            navigate(`/intakes/${submitted.intakeId}`);
          });
        }}
      >
        <h2 id="submit-heading">New Request</h2>
        <label>
          Your name
          <input name="name" autoComplete="name" value={form.name} onInput={set('name')} />
        </label>
        <label>
          Kind of work
          <select
            name="category"
            value={form.category}
            onChange={(e) => setForm({ ...form, category: e.currentTarget.value as Category })}
          >
            {categoryValues.map((c) => (
              <option key={c} value={c}>
                {words(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          What is needed
          <input name="summary" required maxLength={500} value={form.summary} onInput={set('summary')} />
        </label>
        <label>
          Details (optional)
          <textarea name="details" rows={3} maxLength={10000} value={form.details} onInput={set('details')} />
        </label>
        <label>
          Address (optional)
          <input name="address" autoComplete="street-address" value={form.address} onInput={set('address')} />
        </label>
        <label>
          A particular operator (optional: its id; it then governs the Request itself)
          <input name="operatorId" value={form.operatorId} onInput={set('operatorId')} />
        </label>
        <Refused error={action.error} />
        <button class="primary" disabled={action.busy}>
          Submit Request
        </button>
      </form>

      <section class="card" aria-labelledby="mine-heading">
        <h2 id="mine-heading">Your Requests</h2>
        {mine.length === 0 ? (
          <p class="muted">None submitted from this browser yet.</p>
        ) : (
          <ul class="list">
            {mine.map((m) => (
              <li key={m.intakeId}>
                <Link href={`/intakes/${m.intakeId}`}>{m.category ?? 'request'}</Link>{' '}
                <span class="muted">
                  ({short(m.intakeId)}, <When at={m.at} />)
                </span>
              </li>
            ))}
          </ul>
        )}
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            if (openId.trim()) navigate(`/intakes/${openId.trim()}`);
          }}
        >
          <label>
            Open an Intake by id
            <input name="intakeId" value={openId} onInput={(e) => setOpenId(e.currentTarget.value)} />
          </label>
          <button>Open</button>
        </form>
      </section>
    </main>
  );
}
