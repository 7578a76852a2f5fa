import { useEffect, useState } from 'react';
import { can, onSession, refresh, session as currentSession, setWorkspace, signOut, workspace } from './api';
import { Login } from './views/Login';
import { Settings } from './views/Settings';
import { Profiles } from './views/Profiles';
import { ProfileDetail } from './views/ProfileDetail';
import { Segments } from './views/Segments';
import { CustomerValue } from './views/CustomerValue';

function useHash() {
  const [hash, setHash] = useState(window.location.hash || '#/profiles');
  useEffect(() => {
    const changed = () => setHash(window.location.hash || '#/profiles');
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

const NAV = [
  ['#/profiles', 'Profiles'],
  ['#/segments', 'Segments'],
  ['#/value', 'Customer value'],
];

export function App() {
  const hash = useHash();
  const [session, setSession] = useState(currentSession());
  const [current, setCurrent] = useState(workspace());
  useEffect(() => onSession((next) => {
    setSession(next);
    setCurrent(workspace());
  }), []);
  // a reload picks up roles granted since the sign-in
  useEffect(() => {
    if (currentSession()) void refresh();
  }, []);
  if (!session) return <Login />;
  const path = hash.slice(1);
  let view;
  if (path.startsWith('/profiles/')) view = <ProfileDetail key={current + path} id={decodeURIComponent(path.slice(10))} />;
  else if (path.startsWith('/segments')) view = <Segments key={current} openId={path.startsWith('/segments/') ? decodeURIComponent(path.slice(10)) : undefined} />;
  else if (path.startsWith('/value')) view = <CustomerValue key={current} />;
  else if (path.startsWith('/settings') && can('users:manage')) view = <Settings key={current} />;
  else view = <Profiles key={current} />;
  const memberships = session.user.workspaces;
  const role = memberships.find((m) => m.workspace === current)?.role;
  return (
    <div className="app">
      <header>
        <span className="brand">Lodestar</span>
        <nav aria-label="Main">
          {[...NAV, ...(can('users:manage') ? [['#/settings', 'Settings']] : [])].map(([href, label]) => (
            <a key={href} href={href} aria-current={path.startsWith(href.slice(1)) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <div className="workspace">
          <label htmlFor="workspace">Workspace</label>
          <select id="workspace" value={current} onChange={(e) => { setWorkspace(e.target.value); setCurrent(e.target.value); }}>
            {memberships.map((m) => <option key={m.workspace} value={m.workspace}>{m.workspace}</option>)}
          </select>
          {role && <span className="role" title="Your role in this workspace">{role}</span>}
          <span className="user">{session.user.username}</span>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main>{memberships.length === 0
        ? <p className="empty">You are not a member of any workspace yet; ask an admin to add you.</p>
        : view}</main>
    </div>
  );
}
