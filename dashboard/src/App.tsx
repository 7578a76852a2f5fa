import { ReactNode, useEffect, useState } from 'react';
import { can, onSession, refresh, session as currentSession, setWorkspace, signOut, workspace } from './api';
import { Login, oidcReturn, OidcReturn } from './views/Login';
import { Settings } from './views/Settings';
import { Profiles } from './views/Profiles';
import { ProfileDetail } from './views/ProfileDetail';
import { Segments } from './views/Segments';
import { CustomerValue } from './views/CustomerValue';
import { Overview } from './views/Overview';
import { Sales } from './views/Sales';
import { Behaviour, BehaviourTab } from './views/Behaviour';
import { Kiosk } from './views/Kiosk';
import { Campaigns } from './views/Campaigns';
import { Recommendations } from './views/Recommendations';
import { Pipelines } from './views/Pipelines';
import { Reports } from './views/Reports';

function useHash() {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

/** A view: where it lives, who may see it (navigation shows it only to them) and what it shows. */
interface Route { path: string; label?: string; permission?: string | string[]; render: (rest: string) => ReactNode }

const BEHAVIOUR_TABS: BehaviourTab[] = ['top', 'paths', 'funnels', 'retention'];

const ROUTES: Route[] = [
  { path: '/overview', label: 'Overview', permission: 'analytics:read', render: () => <Overview /> },
  { path: '/sales', label: 'Sales', permission: 'analytics:read', render: () => <Sales /> },
  {
    path: '/behaviour', label: 'Website behaviour', permission: 'analytics:read',
    render: (rest) => {
      const tab = rest.slice(1) as BehaviourTab;
      return <Behaviour tab={BEHAVIOUR_TABS.includes(tab) ? tab : 'top'} />;
    },
  },
  { path: '/kiosk', label: 'Kiosk zones', permission: 'analytics:read', render: () => <Kiosk /> },
  { path: '/campaigns', label: 'Campaigns', permission: 'analytics:read', render: () => <Campaigns /> },
  { path: '/reports', label: 'Reports', permission: 'analytics:read', render: (rest) => <Reports rest={rest} /> },
  {
    path: '/profiles', label: 'Profiles',
    render: (rest) => (rest.startsWith('/') ? <ProfileDetail key={rest} id={decodeURIComponent(rest.slice(1))} /> : <Profiles />),
  },
  { path: '/segments', label: 'Segments', render: (rest) => <Segments openId={rest.startsWith('/') ? decodeURIComponent(rest.slice(1)) : undefined} /> },
  { path: '/value', label: 'Customer value', render: () => <CustomerValue /> },
  { path: '/recommendations', label: 'Recommendations', permission: 'analytics:read', render: () => <Recommendations /> },
  { path: '/pipelines', label: 'Pipelines', permission: ['connectors:read', 'analytics:read'], render: () => <Pipelines /> },
  { path: '/settings', label: 'Settings', permission: 'users:manage', render: () => <Settings /> },
];

const allowed = (route: Route) => !route.permission || (Array.isArray(route.permission) ? route.permission.some(can) : can(route.permission));

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
  // back from the identity provider: the one-time code becomes the session
  const sso = oidcReturn(hash);
  if (sso) return <OidcReturn code={sso.code} redirect={sso.redirect} />;
  if (!session) return <Login />;
  const visible = ROUTES.filter(allowed);
  const path = hash.slice(1);
  // the home page is the first view the user may open: the overview, or profiles without analytics:read
  const route = visible.find((r) => path === r.path || path.startsWith(`${r.path}/`)) ?? visible[0];
  const rest = path.startsWith(route.path) ? path.slice(route.path.length) : '';
  const memberships = session.user.workspaces;
  const role = memberships.find((m) => m.workspace === current)?.role;
  return (
    <div className="app">
      <header>
        <span className="brand">Lodestar</span>
        <nav aria-label="Main">
          {visible.map((r) => (
            <a key={r.path} href={`#${r.path}`} aria-current={r === route ? 'page' : undefined}>{r.label}</a>
          ))}
        </nav>
        <div className="workspace">
          <label htmlFor="workspace" className="sr-only">Workspace</label>
          <select id="workspace" value={current} onChange={(e) => { setWorkspace(e.target.value); setCurrent(e.target.value); }}>
            {memberships.map((m) => <option key={m.workspace} value={m.workspace}>{m.workspace}</option>)}
          </select>
          {role && <span className="role" title="Your role in this workspace">{role}</span>}
          <span className="user">{session.user.username}</span>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main key={current}>{memberships.length === 0
        ? <p className="empty">You are not a member of any workspace yet; ask an admin to add you.</p>
        : route.render(rest)}</main>
    </div>
  );
}
