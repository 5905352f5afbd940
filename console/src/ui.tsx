/** Small shared pieces: the router, polling, API answers, refusals, confirmations. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
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

/** Loads now, again every POLL_MS while the page is visible, and on reload(). */
export function usePoll<T>(
  load: () => Promise<T>,
  key: string,
): { data?: T; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
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
    return () => clearInterval(timer);
  }, [key, reload]);
  return { data, error, reload };
}

/** Runs an action, keeps its refusal to show, and tells when it is busy. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
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
      <h1>{title}</h1>
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

/** A status, stage or kind as words: job_created → job created. */
export const words = (s: string) => s.replace(/_/g, ' ');

/** A Task's or a Job's status, as a badge. */
export function Status({ of }: { of: string }) {
  return <span class={`status status-${of}`}>{words(of)}</span>;
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
