/** The QTM OS console: one page per person of the chain, on the API's own contract. */
import { render } from 'preact';
import { Inbox } from './pages/Inbox';
import { Intake } from './pages/Intake';
import { Job } from './pages/Job';
import { Queue } from './pages/Queue';
import { Requests } from './pages/Requests';
import { SignIn, SignInCallback } from './pages/SignIn';
import { Task } from './pages/Task';
import { signOut, useSession, type Session } from './session';
import { Link, navigate, useLocation } from './ui';

const HOME: Record<Session['principal']['role'], string> = {
  requester: '/requests',
  admin: '/tasks',
  operator: '/queue',
};

function Page({ session, path, query }: { session: Session; path: string; query: URLSearchParams }) {
  const [, first, id] = path.split('/');
  if (first === 'intakes' && id) return <Intake id={id} session={session} />;
  if (first === 'tasks' && id) return <Task id={id} session={session} />;
  if (first === 'tasks') return <Inbox session={session} query={query} />;
  if (first === 'jobs' && id) return <Job id={id} session={session} />;
  if (first === 'queue' && session.principal.role === 'operator') return <Queue session={session} />;
  if (first === 'requests') return <Requests session={session} />;
  navigate(HOME[session.principal.role]);
  return null;
}

function App() {
  const session = useSession();
  const { path, query } = useLocation();
  const role = session?.principal.role;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <nav aria-label="Console">
          <Link href="/" class="brand">
            QTM OS
          </Link>
          {role === 'requester' && <Link href="/requests">Requests</Link>}
          {(role === 'admin' || role === 'operator') && <Link href="/tasks">Inbox</Link>}
          {role === 'operator' && <Link href="/queue">Jobs</Link>}
        </nav>
        {session && (
          <div class="who">
            <span>
              {session.principal.sub}{' '}
              <small>
                ({session.principal.role}
                {session.principal.operatorId ? `, ${session.principal.operatorId}` : ''})
              </small>
            </span>
            <button
              type="button"
              onClick={() => {
                signOut();
                navigate('/sign-in');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      {path === '/callback' ? (
        <SignInCallback />
      ) : session ? (
        <Page session={session} path={path} query={query} />
      ) : (
        <SignIn />
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
