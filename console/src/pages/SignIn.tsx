/**
 * Sign-in, as the API says to (GET /v1/auth/config): with an OpenID Provider, its sign-in page
 * (the authorization-code flow with PKCE, oidc.ts); otherwise, in development, pick a role and an
 * identity and the API mints a token for it (POST /v1/dev/tokens). Both give the same Session.
 */
import { useEffect, useState } from 'preact/hooks';
import { beginOidcSignIn, completeOidcSignIn, type OidcSettings } from '../oidc';
import { api, devSignIn, signIn, type Principal, type Role } from '../session';
import { Loading, must, navigate, PageHeading, Refused, useAction } from '../ui';

/** Where sign-in returns to: the link that was opened (kept across the provider's round trip). */
const RETURN_KEY = 'qtm.console.return';
const here = () => {
  const path = location.pathname.replace(/^\/console/, '') || '/';
  return path === '/sign-in' || path === '/callback' ? '/' : `${path}${location.search}`;
};
const returnTo = () => {
  const to = sessionStorage.getItem(RETURN_KEY) ?? '/';
  sessionStorage.removeItem(RETURN_KEY);
  // Only a path within the console.
  return to.startsWith('/') && !to.startsWith('//') ? to : '/';
};

const ROLES: Array<{ role: Role; label: string; hint: string }> = [
  { role: 'requester', label: 'Requester', hint: 'asks for service and follows it to its Record' },
  { role: 'admin', label: 'Admin (governance)', hint: 'reviews, approves and assigns Tasks, creates Jobs' },
  { role: 'operator', label: 'Operator', hint: 'claims and carries out Jobs; governs its own Tasks' },
];

export function SignIn() {
  const [config, setConfig] = useState<{ oidc: OidcSettings | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    must(api.GET('/v1/auth/config')).then(
      (c) => setConfig({ oidc: c.mode === 'oidc' ? c : null }),
      (e: Error) => setProblem(e.message),
    );
  }, []);
  if (!config) return <Loading title="Sign in" error={problem} />;
  return config.oidc ? <ProviderSignIn settings={config.oidc} /> : <DevSignIn />;
}

function ProviderSignIn({ settings }: { settings: OidcSettings }) {
  const action = useAction();
  return (
    <main id="main">
      <PageHeading title="Sign in" />
      <p>
        You sign in at <strong>{new URL(settings.issuer).host}</strong>, which then sends you back here.
      </p>
      <Refused error={action.error} />
      <button
        type="button"
        class="primary"
        disabled={action.busy || !settings.clientId}
        onClick={() =>
          void action.run(() => {
            sessionStorage.setItem(RETURN_KEY, here());
            return beginOidcSignIn(settings);
          })
        }
      >
        Sign in with {new URL(settings.issuer).host}
      </button>
      {!settings.clientId && (
        <p class="refusal">The API names no public client for the console (AUTH_OIDC_CLIENT_ID).</p>
      )}
    </main>
  );
}

/** Back from the provider (CALLBACK_PATH): the code becomes a token, and the token a Session. */
export function SignInCallback() {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    completeOidcSignIn(new URL(location.href)).then(
      (session) => {
        signIn(session);
        navigate(returnTo());
      },
      (e: Error) => setProblem(e.message),
    );
  }, []);
  return (
    <main id="main">
      <PageHeading title="Signing in…" />
      <Refused error={problem} />
      {problem && (
        <button type="button" onClick={() => navigate('/')}>
          Start again
        </button>
      )}
    </main>
  );
}

function DevSignIn() {
  const [role, setRole] = useState<Role>('requester');
  const [sub, setSub] = useState('');
  const [operatorId, setOperatorId] = useState('');
  const action = useAction();

  return (
    <main id="main">
      <PageHeading title="Sign in" />
      <p class="note">
        Development sign-in: the API mints a token for whoever you say you are. It exists only while the API runs with{' '}
        <code>DEV_TOKENS=on</code>, and only for this machine.
      </p>
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          const principal: Principal = {
            sub: sub.trim(),
            role,
            ...(role === 'operator' ? { operatorId: operatorId.trim() } : {}),
          };
          void action.run(async () => {
            const to = here();
            signIn(await devSignIn(principal));
            navigate(to);
          });
        }}
      >
        <fieldset>
          <legend>Role</legend>
          {ROLES.map((r) => (
            <label class="choice" key={r.role}>
              <input
                type="radio"
                name="role"
                value={r.role}
                checked={role === r.role}
                onChange={() => setRole(r.role)}
              />
              <span>
                {r.label} <small>{r.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <label>
          Identity (who you are)
          <input
            name="sub"
            required
            autoComplete="username"
            value={sub}
            onInput={(e) => setSub(e.currentTarget.value)}
            placeholder="e.g. alice"
          />
        </label>
        {role === 'operator' && (
          <label>
            Operator id (the business you work for)
            <input
              name="operatorId"
              required
              value={operatorId}
              onInput={(e) => setOperatorId(e.currentTarget.value)}
              placeholder="e.g. op-northside"
            />
          </label>
        )}
        <Refused error={action.error} />
        <button class="primary" disabled={action.busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
