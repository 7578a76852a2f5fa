import { FormEvent, useEffect, useState } from 'react';
import { ApiError, signIn, signInWithCode, ssoLoginUrl, ssoStatus } from '../api';

/** The error the identity provider sent the browser back with (`#/login?error=…`), if any. */
export function providerError(hash: string): string | null {
  const match = /^#\/login\?(.*)$/.exec(hash);
  return match ? new URLSearchParams(match[1]).get('error') : null;
}

/**
 * The sign-in form: username and password, the problem's detail when they are wrong; and,
 * when the gateway offers single sign-on, "Sign in with <provider>", which comes back to the
 * route the user asked for.
 */
export function Login() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(() => providerError(window.location.hash));
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ enabled: boolean; displayName?: string } | null>(null);
  useEffect(() => {
    ssoStatus().then(setSso, () => setSso(null));
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      if (window.location.hash.startsWith('#/login')) window.location.hash = '#/';
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The gateway cannot be reached.');
    } finally {
      setBusy(false);
    }
  }

  // back to where the user was going, but never to the sign-in route itself
  const route = window.location.hash.startsWith('#/login') || !window.location.hash ? '#/' : window.location.hash;
  return (
    <main className="login">
      <form className="card" onSubmit={submit} aria-label="Sign in">
        <h1>Sign in to Lodestar</h1>
        {sso?.enabled && (
          <>
            <a className="button" href={ssoLoginUrl(route)}>Sign in with {sso.displayName ?? 'single sign-on'}</a>
            <p className="muted or">or with a Lodestar password</p>
          </>
        )}
        <label htmlFor="username">Username</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" value={password}
          onChange={(e) => setPassword(e.target.value)} required />
        {error && <div role="alert" className="error">{error}</div>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

/** `#/oidc?code=…&redirect=…`: the code and the route to go on to, or null for another route. */
export function oidcReturn(hash: string): { code: string; redirect: string } | null {
  const match = /^#\/oidc\?(.*)$/.exec(hash);
  if (!match) return null;
  const query = new URLSearchParams(match[1]);
  const code = query.get('code');
  if (!code) return null;
  // the redirect is the dashboard path the sign-in started from (`/#/profiles`): keep its hash route only
  const redirect = query.get('redirect') ?? '/#/';
  const hashAt = redirect.indexOf('#');
  const route = hashAt >= 0 ? redirect.slice(hashAt) : '#/';
  return { code, redirect: route.startsWith('#/oidc') || route.startsWith('#/login') ? '#/' : route };
}

/** Back from the identity provider: trades the one-time code for the session, then goes on. */
export function OidcReturn({ code, redirect }: { code: string; redirect: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    signInWithCode(code).then(
      () => { if (live) window.location.replace(`${window.location.pathname}${window.location.search}${redirect}`); },
      (e) => { if (live) setError(e instanceof ApiError ? e.message : 'The gateway cannot be reached.'); });
    return () => { live = false; };
  }, [code, redirect]);
  return (
    <main className="login">
      <div className="card" role="region" aria-label="Single sign-on">
        <h1>Signing in…</h1>
        {error ? (
          <>
            <div role="alert" className="error">{error}</div>
            <a href="#/login">Back to the sign-in form</a>
          </>
        ) : <p className="muted" role="status">Checking the sign-in with the gateway.</p>}
      </div>
    </main>
  );
}
