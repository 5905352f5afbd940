/** Small shared pieces: the router, polling, API answers, refusals, confirmations. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { say } from './vocabulary';
import { problemDetail } from './session';

// --- Routing: history paths under /console/ ------------------------------------------------------

export const BASE = '/console';
const listeners = new Set<() => void>();
addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(to: string): void {
  history.pushState(null, '', `${BASE}${to}`);
  listeners.forEach((l) => l());
}

/** The path within the console and its query, re-rendered on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((t) => t + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: new URLSearchParams(location.search) };
}

export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  const { href, children } = props;
  return (
    <a
      class={props.class}
      href={`${BASE}${href}`}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

// --- API answers ----------------------------------------------------------------------------------

/** A refused call, worded as the API worded it (problem+json `detail`). */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The data of an openapi-fetch answer, or a Refusal with the problem's detail. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (data === undefined || !response.ok) throw new Refusal(problemDetail(error, response), response.status);
  return data as T;
}

/** How often pages that show a Task, a Job or an Intake read it again (while the tab is visible). */
export const POLL_MS = 2_000;

/**
 * Loads now, again every POLL_MS while the page is visible, when the tab comes back into view, and
 * on reload(). The elements a page draws from it are the same ones from poll to poll (Preact keeps
 * them while their type and place are unchanged), so a button being clicked is never replaced.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  key: string,
): { data?: T; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const reload = useCallback(async () => {
    const asked = keyRef.current;
    try {
      const value = await loadRef.current();
      // An answer for a subject the page has since left is dropped.
      if (asked === keyRef.current) setData(value);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    setData(undefined);
    void reload();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, POLL_MS);
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, reload]);
  return { data, error, reload };
}

/**
 * Runs an action and keeps its refusal to show. After it (done or refused) the page reads its
 * subject again (`refresh`), so that badge, buttons and message agree; a refusal is then worded
 * by `explain` from what is true now when it can be. Focus that the act took away (a button that
 * went disabled or away) moves to the nearest heading, never to the body.
 */
export function useAction(options: { refresh?: () => Promise<unknown> } = {}): {
  busy: boolean;
  error: string | null;
  run: (action: () => Promise<unknown>, explain?: (refusal: Refusal) => Promise<string> | string) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = useRef(options.refresh);
  refresh.current = options.refresh;
  const run = useCallback(
    async (action: () => Promise<unknown>, explain?: (refusal: Refusal) => Promise<string> | string) => {
      const from = document.activeElement as HTMLElement | null;
      // A confirmation's dialog sits in the section of the act it confirms.
      const region = from?.closest('section, main') ?? null;
      setBusy(true);
      setError(null);
      let ok = true;
      try {
        await action();
      } catch (e) {
        ok = false;
        const refusal = e instanceof Refusal ? e : new Refusal((e as Error).message, 0);
        await refresh.current?.().catch(() => undefined);
        setError(explain ? await explain(refusal) : refusal.message);
      } finally {
        if (ok) await refresh.current?.().catch(() => undefined);
        setBusy(false);
      }
      requestAnimationFrame(() => keepFocus(from, region));
      return ok;
    },
    [],
  );
  return { busy, error, run, clear: () => setError(null) };
}

/** Focus stays where it was when it can; else it goes to the heading of the region the act was in. */
function keepFocus(from: HTMLElement | null, region: Element | null): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  if (from?.isConnected && !from.closest('dialog') && !(from as HTMLButtonElement).disabled) return from.focus();
  const area = region?.isConnected ? region : document.querySelector('main');
  const heading = area?.querySelector<HTMLElement>('h1, h2') ?? document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

/**
 * A page's heading: it names the page in the tab's title, and takes focus when the page opens (a
 * screen reader hears where it is; the keyboard starts there), not again as the page re-reads.
 */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · QTM OS`;
  }, [title]);
  useEffect(() => {
    // Not while a dialog has the keyboard.
    if (!document.activeElement?.closest('dialog')) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}

/** A control that cannot act now says why, beside it. */
export function Why({ id, reason }: { id: string; reason: string | null }) {
  // Always there (empty when it can act), so that aria-describedby never names a missing element.
  return (
    <p id={id} class={reason ? 'why' : 'why empty'}>
      {reason}
    </p>
  );
}

// --- Pieces ---------------------------------------------------------------------------------------

/** A refusal or failure, announced to screen readers as it appears. */
export function Refused({ error }: { error: string | null }) {
  return (
    <p role="alert" class={error ? 'refusal' : 'refusal empty'}>
      {error}
    </p>
  );
}

/** A page whose subject is still being read, or could not be. */
export function Loading({ title, error }: { title: string; error: string | null }) {
  return (
    <main id="main">
      <PageHeading title={title} />
      {error ? <Refused error={error} /> : <p aria-busy="true">Loading…</p>}
    </main>
  );
}

/** A list the page reads from the API: its refusal, then "Loading…", what to say when it is empty, or the items. */
export function Listing<T>(props: {
  items: T[] | undefined;
  error: string | null;
  empty: string;
  label: string;
  class?: string;
  children: (item: T) => ComponentChildren;
}) {
  const { items } = props;
  return (
    <>
      <Refused error={props.error} />
      {!items ? (
        <p aria-busy="true">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ul class={props.class ?? 'list'} aria-label={props.label}>
          {items.map(props.children)}
        </ul>
      )}
    </>
  );
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return null;
  const date = new Date(at);
  return <time dateTime={at}>{date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}

export const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : '—');

/** A kind or a name as words: job_created → job created (statuses and stages: facts.tsx's vocabulary). */
export const words = (s: string) => s.replace(/_/g, ' ');

/** A Task's, a Job's or an Intake's status, as a badge in the one vocabulary. */
export function Status({ of }: { of: string }) {
  return <span class={`status status-${of}`}>{say(of)}</span>;
}

/** A form that acts on the page (its submit never navigates); acts confirmed in a dialog need no onSubmit. */
export function ActForm(props: { onSubmit?: () => unknown; children: ComponentChildren }) {
  return (
    <form
      class="act"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit?.();
      }}
    >
      {props.children}
    </form>
  );
}

/**
 * A deliberate act: a modal dialog (the browser's <dialog>: focus moves into it, Escape cancels)
 * that says what will happen, with the confirming button named for the act.
 */
export function Confirm(props: {
  label: string;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  disabled?: boolean;
  danger?: boolean;
  /** The id of the sentence that says why it is disabled, or what it will do. */
  describedBy?: string;
  onConfirm: () => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = `dialog-${props.confirmLabel.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <>
      <button
        type="button"
        class={props.danger ? 'danger' : 'primary'}
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <form
          method="dialog"
          onSubmit={(event) => {
            const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
            if (submitter?.value !== 'confirm') return;
            event.preventDefault();
            // The outcome (or the refusal) shows on the page behind the dialog.
            void props.onConfirm().finally(() => dialog.current?.close());
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          <div>{props.children}</div>
          <div class="actions">
            <button value="cancel" formNoValidate>
              Cancel
            </button>
            <button value="confirm" class={props.danger ? 'danger' : 'primary'}>
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** The ⭐ of a Signal, drawn (no emoji font needed); its name is in the text beside it. */
export function Star() {
  return (
    <svg class="star" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"
        fill="#e0a100"
        stroke="#8a6200"
      />
    </svg>
  );
}
