/**
 * Who is signed in, and the one typed client of the API acting as them. The session (a bearer
 * token and the principal it names) lives in sessionStorage: it ends with the browser tab.
 *
 * Sign-in methods produce a Session; the rest of the console only reads it. Today there is one
 * method, development tokens (POST /v1/dev/tokens, which exists only when the API runs with
 * DEV_TOKENS=on, and answers only this machine). An OpenID Provider's authorization-code flow with PKCE slots in beside
 * it as a second method once the API publishes its settings (GET /v1/auth/config).
 */
import { useEffect, useState } from 'preact/hooks';
import { qtmClient, type Schemas } from '../../client';

export type Principal = Schemas['Principal'];
export type Role = Principal['role'];

export interface Session {
  token: string;
  principal: Principal;
  expiresAt: string;
  method: 'dev' | 'oidc';
}

const KEY = 'qtm.console.session';

function load(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

let current = load();
const listeners = new Set<(s: Session | null) => void>();
const set = (next: Session | null) => {
  current = next;
  for (const listener of listeners) listener(next);
};

export const currentSession = (): Session | null => current;

export function useSession(): Session | null {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => void listeners.delete(setValue);
  }, []);
  return value;
}

export function signIn(next: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(next));
  set(next);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  set(null);
}

export const api = qtmClient({ baseUrl: location.origin, token: () => current?.token ?? null });

/** Development sign-in: a token for the chosen principal, minted by the API from its dev secret. */
export async function devSignIn(principal: Principal): Promise<Session> {
  const { data, error, response } = await api.POST('/v1/dev/tokens', { body: principal });
  if (!data) {
    throw new Error(
      response.status === 404
        ? 'development sign-in is off: the API does not run with DEV_TOKENS=on'
        : problemDetail(error, response),
    );
  }
  return { token: data.token, principal: data.principal, expiresAt: data.expiresAt, method: 'dev' };
}

/** A refusal as the API words it: the problem document's detail, else the status line. */
export function problemDetail(error: unknown, response: Response): string {
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : `${response.status} ${response.statusText || 'error'}`;
}
