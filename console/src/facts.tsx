/**
 * The facts of the work in people's words: one vocabulary for statuses, stages and phases, the
 * operator directory (names, never typed ids), and what was asked — who, where, what, when — as the
 * Task, Job and Intake pages and the inbox and queue rows show it. Personal values arrive revealed
 * by the API to those who may read them; this module only shows them, never stores them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../client';
import { api } from './session';
import { must, When } from './ui';

type Chain = Schemas['IntakeChain'];
export type Operator = Schemas['Operator'];

export { categorySay, say, stageSay } from './vocabulary';
import { categorySay } from './vocabulary';

// --- The operator directory -----------------------------------------------------------------------

let directory: Promise<Operator[]> | null = null;

/** Every registered operator (GET /v1/operators, all pages), read once per page load. */
export function loadOperators(): Promise<Operator[]> {
  directory ??= (async () => {
    const all: Operator[] = [];
    let cursor: string | undefined;
    do {
      const page = await must(
        api.GET('/v1/operators', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
      );
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  })().catch((error: unknown) => {
    directory = null;
    throw error;
  });
  return directory;
}

export function useOperators(): { operators: Operator[] | undefined; error: string | null } {
  const [state, setState] = useState<{ operators: Operator[] | undefined; error: string | null }>({
    operators: undefined,
    error: null,
  });
  useEffect(() => {
    let live = true;
    loadOperators().then(
      (operators) => live && setState({ operators, error: null }),
      (e: Error) =>
        live && setState({ operators: undefined, error: `The operator list could not be read: ${e.message}` }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** An operator by its business name (its id only when the directory does not know it). */
export function useOperatorName(): (id: string | null | undefined) => string {
  const { operators } = useOperators();
  return (id) => (id ? (operators?.find((o) => o.id === id)?.displayName ?? id) : 'nobody yet');
}

// --- What was asked -------------------------------------------------------------------------------

/** An Intake's place as people read it: the address, else the text, else coordinates. */
export function placeOf(location: unknown): string | null {
  if (!location) return null;
  if (typeof location === 'string') return location;
  const l = location as { address?: string; lat?: number; lng?: number };
  if (l.address) return l.address;
  return l.lat !== undefined && l.lng !== undefined ? `${l.lat}, ${l.lng}` : null;
}

/** Who asked: the actor's name (a business or a person), as the API reveals it to this reader. */
export const requesterName = (chain: Chain): string =>
  chain.request?.actor.name ?? (chain.erasedAt ? '(erased on request)' : 'unknown');

/** "12 min ago", "3 h ago", "2 days ago": how long something has waited. */
export function age(at: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(at)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The preferred time window, if the requester gave one. */
function Window({ window }: { window: unknown }) {
  const w = window as { start?: string; end?: string } | null | undefined;
  if (!w?.start || !w.end) return <>any time</>;
  return (
    <>
      <When at={w.start} /> to <When at={w.end} />
    </>
  );
}

/** The note the admin gave with the approval, if any. */
export const adminNote = (chain: Chain): string | null => {
  const approval = chain.task?.decisions.find((d) => d.kind === 'approve');
  const note = approval?.details.note;
  return typeof note === 'string' && note.trim() ? note : null;
};

/**
 * The facts a decision or a visit needs, first on the page: who asked, where, what, when they
 * prefer, the admin's note, and the photos so far (a count; the photos themselves are further on).
 */
export function RequestFacts(props: { chain: Chain; heading: string; forRequester?: boolean }) {
  const { chain, heading } = props;
  const intake = chain.intake;
  const place = placeOf(intake.location);
  const note = adminNote(chain);
  const photos = chain.serviceEvent?.evidence.filter((e) => e.kind === 'photo').length ?? 0;
  const contact = chain.request?.actor.contact as { email?: string; phone?: string } | undefined;
  return (
    <section class="card facts-card" aria-labelledby="facts-heading">
      <h2 id="facts-heading">{heading}</h2>
      <dl class="facts">
        <dt>Who asked</dt>
        <dd>
          {requesterName(chain)}
          {chain.request?.actor.kind === 'business' ? ' (business)' : ''}
          {contact?.phone ? ` · ${contact.phone}` : ''}
          {contact?.email ? ` · ${contact.email}` : ''}
        </dd>
        <dt>Where</dt>
        <dd>{place ?? 'no address given'}</dd>
        <dt>What</dt>
        <dd>
          <strong>{categorySay(intake.category)}</strong>: {String(intake.summary ?? '')}
          {intake.details ? <p class="details">{String(intake.details)}</p> : null}
        </dd>
        <dt>When</dt>
        <dd>
          <Window window={intake.preferredWindow} />
        </dd>
        <dt>Asked</dt>
        <dd>
          <When at={chain.request?.receivedAt ?? String(intake.createdAt)} /> (
          {age(chain.request?.receivedAt ?? String(intake.createdAt))})
        </dd>
        {/* The admin's note is for the operator who does the work. */}
        {!props.forRequester && (
          <>
            <dt>Admin’s note</dt>
            <dd>{note ?? 'none'}</dd>
          </>
        )}
        <dt>Photos so far</dt>
        <dd>{photos === 0 ? 'none yet' : photos === 1 ? '1 photo' : `${photos} photos`}</dd>
      </dl>
    </section>
  );
}

// --- Rows: the facts of many Intakes, read once each ----------------------------------------------

export interface RowFacts {
  name: string;
  place: string | null;
  category: string;
  summary: string;
  askedAt: string;
}

/** A row's facts by Intake id; a Request never changes, so each is read once per page load. */
const rowFacts = new Map<string, RowFacts | 'loading' | 'unreadable'>();

export function useRowFacts(intakeIds: string[] | undefined): Map<string, RowFacts | 'loading' | 'unreadable'> {
  const [, setTick] = useState(0);
  const ids = (intakeIds ?? []).join(',');
  useEffect(() => {
    for (const id of intakeIds ?? []) {
      if (rowFacts.has(id)) continue;
      rowFacts.set(id, 'loading');
      void must(api.GET('/v1/intakes/{id}', { params: { path: { id } } })).then(
        (chain) => {
          rowFacts.set(id, {
            name: requesterName(chain),
            place: placeOf(chain.intake.location),
            category: categorySay(chain.intake.category),
            summary: String(chain.intake.summary ?? ''),
            askedAt: chain.request?.receivedAt ?? String(chain.intake.createdAt),
          });
          setTick((t) => t + 1);
        },
        () => {
          rowFacts.set(id, 'unreadable');
          setTick((t) => t + 1);
        },
      );
    }
  }, [ids]);
  return rowFacts;
}
