/**
 * The requester: ask for service (what, where, when suits, and who should do it, picked from the
 * operator directory), and the requests sent from this browser.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import { categoryValues } from '../../../client/openapi';
import { useOperators, useRowFacts } from '../facts';
import { api, type Session } from '../session';
import { Link, must, navigate, PageHeading, Refused, useAction, When, Why, words } from '../ui';

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
    from: '',
    until: '',
  });
  const action = useAction();
  const { operators, error: directoryError } = useOperators();
  const set = (field: keyof typeof form) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: event.currentTarget.value });
  const mine = submittedHere(session.principal.sub);
  const facts = useRowFacts(mine.map((m) => m.intakeId));
  const suited = operators?.filter((o) => o.categories.length === 0 || o.categories.includes(form.category)) ?? [];
  const windowWhy =
    (form.from && !form.until) || (!form.from && form.until)
      ? 'Give both times, or neither.'
      : form.from && form.until && Date.parse(form.from) >= Date.parse(form.until)
        ? 'The second time must be after the first.'
        : null;

  return (
    <main id="main">
      <PageHeading title="Ask for service" />
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
                    ...(form.from && form.until
                      ? {
                          preferredWindow: {
                            start: new Date(form.from).toISOString(),
                            end: new Date(form.until).toISOString(),
                          },
                        }
                      : {}),
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
        <fieldset>
          <legend>When suits you (optional)</legend>
          <label>
            From
            <input name="from" type="datetime-local" value={form.from} onInput={set('from')} />
          </label>
          <label>
            Until
            <input name="until" type="datetime-local" value={form.until} onInput={set('until')} />
          </label>
          <Why id="window-why" reason={windowWhy} />
        </fieldset>
        <label>
          Who should do it
          <select
            name="operatorId"
            value={form.operatorId}
            aria-describedby="operator-what"
            onChange={(e) => setForm({ ...form, operatorId: e.currentTarget.value })}
          >
            <option value="">Anyone suitable (our team chooses)</option>
            {suited.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName}
              </option>
            ))}
          </select>
        </label>
        <p id="operator-what" class="why">
          {form.operatorId
            ? 'Your request goes straight to them: they decide whether to take it.'
            : 'Our team reviews your request and picks someone suitable.'}
        </p>
        <Refused error={directoryError} />
        <Refused error={action.error} />
        <button class="primary" disabled={action.busy || windowWhy !== null} aria-describedby="window-why">
          Submit Request
        </button>
      </form>

      <section class="card" aria-labelledby="mine-heading">
        <h2 id="mine-heading">Your requests</h2>
        {mine.length === 0 ? (
          <p class="muted">None sent from this browser yet.</p>
        ) : (
          <ul class="list" aria-label="Your requests">
            {mine.map((m) => {
              const row = facts.get(m.intakeId);
              const known = typeof row === 'object' ? row : null;
              return (
                <li key={m.intakeId}>
                  <Link href={`/intakes/${m.intakeId}`}>{known ? known.summary : words(m.category ?? 'request')}</Link>{' '}
                  <span class="muted">
                    ({words(m.category ?? 'request')}, sent <When at={m.at} />)
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </main>
  );
}
