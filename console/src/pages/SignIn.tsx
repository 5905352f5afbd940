/**
 * Sign-in. In development: pick a role and an identity, and the API mints a token for it
 * (POST /v1/dev/tokens). With an OpenID Provider, its authorization-code flow with PKCE would take
 * this page's place: it would produce the same Session (session.ts).
 */
import { useState } from 'preact/hooks';
import { devSignIn, signIn, type Principal, type Role } from '../session';
import { navigate, Refused, useAction } from '../ui';

const ROLES: Array<{ role: Role; label: string; hint: string }> = [
  { role: 'requester', label: 'Requester', hint: 'asks for service and follows it to its Record' },
  { role: 'admin', label: 'Admin (governance)', hint: 'reviews, approves and assigns Tasks, creates Jobs' },
  { role: 'operator', label: 'Operator', hint: 'claims and carries out Jobs; governs its own Tasks' },
];

export function SignIn() {
  const [role, setRole] = useState<Role>('requester');
  const [sub, setSub] = useState('');
  const [operatorId, setOperatorId] = useState('');
  const action = useAction();

  return (
    <main id="main">
      <h1>Sign in</h1>
      <p class="note">
        Development sign-in: the API mints a token for whoever you say you are. It exists only while the API runs with{' '}
        <code>NODE_ENV=development</code>.
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
            signIn(await devSignIn(principal));
            navigate('/');
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
