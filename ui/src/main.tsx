import { render } from 'preact';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Browser } from './pages/browser.tsx';
import { Bundles } from './pages/bundles.tsx';
import { Repositories } from './pages/repositories.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Trust } from './pages/trust.tsx';
import { href, useRoute } from './router.ts';
import { type Session, saveSession, savedSession } from './session.ts';
import './style.css';

const PAGES = [
  ['repos', 'Repositories'],
  ['bundles', 'Release bundles'],
  ['trust', 'Trust'],
  ['conformance', 'Conformance'],
] as const;

/** The conformance view carries the report renderer: loaded when opened, so the other pages stay small. */
function Conformance() {
  const [view, setView] = useState<{ Page: ComponentType }>();
  useEffect(() => {
    void import('./pages/conformance.tsx').then(({ Conformance: Page }) => setView({ Page }));
  }, []);
  return view ? <view.Page /> : <p class="muted">Loading…</p>;
}

/**
 * The shell: a header of plain links and buttons (EDGE-UI-7: every control is a native element,
 * so the keyboard reaches and works each in document order; style.css reflows it at phone width).
 */
function App() {
  const [session, setSession] = useState(savedSession);
  const route = useRoute();
  const signIn = (next: Session | undefined) => {
    saveSession(next);
    setSession(next);
    if (!next) location.hash = '';
  };
  const [page = 'repos', ...rest] = route;
  // A report is a file the user holds, not something the Edge answers: it needs no sign-in.
  const needsSession = page !== 'conformance';
  return (
    <>
      <header class="top">
        <a class="brand" href={href('repos')}>
          edgeproof
        </a>
        <nav aria-label="Pages">
          {PAGES.map(([key, label]) => (
            <a key={key} href={href(key)} aria-current={page === key ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        {session ? (
          <span class="who">
            <span id="signed-in-as">{session.label}</span>{' '}
            <button type="button" onClick={() => signIn(undefined)}>
              Sign out
            </button>
          </span>
        ) : null}
      </header>
      <main id="main">
        {needsSession && !session ? (
          <SignIn onSignIn={signIn} />
        ) : page === 'repos' && rest.length > 0 ? (
          <Browser session={session!} repo={rest[0]!} path={rest.slice(1).join('/')} />
        ) : page === 'bundles' ? (
          <Bundles session={session!} bundle={rest} />
        ) : page === 'trust' ? (
          <Trust session={session!} />
        ) : page === 'conformance' ? (
          <Conformance />
        ) : (
          <Repositories session={session!} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
// The page's own "Loading…" goes: Preact would keep it beside what it draws.
root.replaceChildren();
render(<App />, root);
