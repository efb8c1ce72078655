import { useState } from 'preact/hooks';
import { ART, type ApiRefusal, call } from '../api.ts';
import { ANONYMOUS, basicSession, type Session, tokenSession } from '../session.ts';
import { Refusal } from '../widgets.tsx';

/**
 * Sign-in with a user's password or an access token, or anonymous browsing: each is checked
 * with one call any client could make (the licence, which needs a reader), so a refusal is
 * the Edge's own (EDGE-UI-2).
 */
export function SignIn({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [refusal, setRefusal] = useState<ApiRefusal>();
  const [busy, setBusy] = useState(false);

  const attempt = async (session: Session) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      await call(session, `${ART}/api/system/license`);
      onSignIn(session);
    } catch (error) {
      setRefusal(error as ApiRefusal);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '');
    void attempt(mode === 'password' ? basicSession(field('username'), field('password')) : tokenSession(field('token')));
  };

  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      <div role="tablist" class="tabs">
        <button type="button" role="tab" aria-selected={mode === 'password'} onClick={() => setMode('password')}>
          Password
        </button>
        <button type="button" role="tab" aria-selected={mode === 'token'} onClick={() => setMode('token')}>
          Access token
        </button>
      </div>
      <form onSubmit={submit}>
        {mode === 'password' ? (
          <>
            <label>
              User <input name="username" autocomplete="username" required />
            </label>
            <label>
              Password <input name="password" type="password" autocomplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            Token <textarea name="token" rows={3} required />
          </label>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        <button type="button" class="link" onClick={() => void attempt(ANONYMOUS)} disabled={busy}>
          Browse anonymously
        </button>{' '}
        <span class="muted">(when this Edge allows anonymous access)</span>
      </p>
      {refusal ? <Refusal refusal={refusal} /> : null}
    </section>
  );
}
