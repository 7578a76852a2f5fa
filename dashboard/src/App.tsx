import { useEffect, useState } from 'react';
import { setWorkspace, workspace } from './api';
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
  const [current, setCurrent] = useState(workspace());
  const [draft, setDraft] = useState(current);
  const path = hash.slice(1);
  let view;
  if (path.startsWith('/profiles/')) view = <ProfileDetail key={current + path} id={decodeURIComponent(path.slice(10))} />;
  else if (path.startsWith('/segments')) view = <Segments key={current} openId={path.startsWith('/segments/') ? decodeURIComponent(path.slice(10)) : undefined} />;
  else if (path.startsWith('/value')) view = <CustomerValue key={current} />;
  else view = <Profiles key={current} />;
  return (
    <div className="app">
      <header>
        <span className="brand">Lodestar</span>
        <nav aria-label="Main">
          {NAV.map(([href, label]) => (
            <a key={href} href={href} aria-current={path.startsWith(href.slice(1)) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <form className="workspace" onSubmit={(e) => { e.preventDefault(); setWorkspace(draft); setCurrent(draft); }}>
          <label htmlFor="workspace">Workspace</label>
          <input id="workspace" value={draft} onChange={(e) => setDraft(e.target.value)} size={12} />
          <button type="submit">Switch</button>
        </form>
      </header>
      <main>{view}</main>
    </div>
  );
}
