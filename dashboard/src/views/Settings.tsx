import { FormEvent, useState } from 'react';
import { api, get, post } from '../api';
import { formatTime, Status, useLoad } from '../ui';

interface Member { userId: string; username: string; role: string; grantedAt: string; enabled: boolean }
interface ApiKey { id: string; name: string; prefix: string; permissions: string[]; createdBy: string; createdAt: string; revokedAt?: string; lastUsedAt?: string }
interface WriteKey { keyId: string; sourceId: string; createdAt: string; revokedAt?: string }
interface AuditEntry { id: number; at: string; actor: string; method: string; path: string; status: number; clientIp?: string; requestId?: string }

const ROLES = ['admin', 'marketer', 'analyst', 'viewer'];
const PERMISSIONS = ['profiles:read', 'profiles:export', 'consent:write', 'privacy:manage', 'segments:read', 'segments:write',
  'analytics:read', 'reports:manage', 'jobs:run', 'connectors:read', 'connectors:manage', 'write-keys:manage', 'users:manage',
  'api-keys:manage', 'audit:read'];

/** A secret the API shows once: shown here once too, with a warning. */
function Secret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  return (
    <div className="notice" role="status">
      <strong>{label}</strong> — copy it now, it is not shown again: <code className="secret">{value}</code>
      <button type="button" onClick={onDone}>Done</button>
    </div>
  );
}

function Members() {
  const members = useLoad<Member[]>(() => get('/v1/users'), []);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('viewer');
  const [error, setError] = useState<unknown>();
  const [secret, setSecret] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const added = await post<{ username: string; initialPassword?: string }>('/v1/users', { username, role });
      if (added.initialPassword) setSecret(`${added.username}: ${added.initialPassword}`);
      setUsername('');
      members.reload();
    } catch (e) {
      setError(e);
    }
  }
  async function change(userId: string, method: 'PUT' | 'DELETE', body?: unknown) {
    setError(undefined);
    try {
      await api(`/v1/users/${userId}`, { method, body: body ? JSON.stringify(body) : undefined });
      members.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="card">
      <h2>Members</h2>
      <form className="row" onSubmit={add} aria-label="Add a member">
        <label htmlFor="member-username">Username</label>
        <input id="member-username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
        <button type="submit">Add member</button>
      </form>
      {secret && <Secret label="Initial password" value={secret} onDone={() => setSecret(null)} />}
      <Status error={error} />
      <Status loading={members.loading} error={members.error} />
      {members.data && (
        <table>
          <thead><tr><th>User</th><th>Role</th><th>Since</th><th /></tr></thead>
          <tbody>{members.data.map((m) => (
            <tr key={m.userId}>
              <td>{m.username}{m.enabled ? '' : ' (disabled)'}</td>
              <td>
                <select aria-label={`Role of ${m.username}`} value={m.role} onChange={(e) => change(m.userId, 'PUT', { role: e.target.value })}>
                  {ROLES.map((r) => <option key={r}>{r}</option>)}
                </select>
              </td>
              <td>{formatTime(m.grantedAt)}</td>
              <td><button type="button" className="secondary" onClick={() => change(m.userId, 'DELETE')}>Remove</button></td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function ApiKeys() {
  const keys = useLoad<ApiKey[]>(() => get('/v1/api-keys'), []);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['profiles:read']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();

  async function act(work: () => Promise<void>) {
    setError(undefined);
    try {
      await work();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }
  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const created = await post<{ secret: string }>('/v1/api-keys', { name, permissions: chosen });
      setSecret(created.secret);
      setName('');
    });
  };

  return (
    <div className="card">
      <h2>API keys</h2>
      <form onSubmit={create} aria-label="Create an API key">
        <div className="row">
          <label htmlFor="key-name">Name</label>
          <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
          <button type="submit">Create key</button>
        </div>
        <fieldset className="permissions">
          <legend>Permissions</legend>
          {PERMISSIONS.map((p) => (
            <label key={p}><input type="checkbox" checked={chosen.includes(p)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))} /> {p}</label>
          ))}
        </fieldset>
      </form>
      {secret && <Secret label="New API key" value={secret} onDone={() => setSecret(null)} />}
      <Status error={error} />
      <Status loading={keys.loading} error={keys.error} empty={keys.data?.length === 0} emptyText="No API keys yet." />
      {keys.data && keys.data.length > 0 && (
        <table>
          <thead><tr><th>Name</th><th>Key</th><th>Permissions</th><th>Created</th><th>Last used</th><th /></tr></thead>
          <tbody>{keys.data.map((k) => (
            <tr key={k.id} className={k.revokedAt ? 'muted' : undefined}>
              <td>{k.name}</td><td><code>{k.prefix}…</code></td><td>{k.permissions.join(', ')}</td>
              <td>{formatTime(k.createdAt)}</td><td>{k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : formatTime(k.lastUsedAt)}</td>
              <td>{!k.revokedAt && (
                <>
                  <button type="button" className="secondary" onClick={() => act(async () => setSecret((await post<{ secret: string }>(`/v1/api-keys/${k.id}/rotate`)).secret))}>Rotate</button>{' '}
                  <button type="button" className="secondary" onClick={() => act(() => api(`/v1/api-keys/${k.id}`, { method: 'DELETE' }))}>Revoke</button>
                </>
              )}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function WriteKeys() {
  const keys = useLoad<WriteKey[]>(() => get('/v1/write-keys'), []);
  const [source, setSource] = useState('web');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();

  async function act(work: () => Promise<void>) {
    setError(undefined);
    try {
      await work();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="card">
      <h2>Write keys (event sources)</h2>
      <form className="row" aria-label="Create a write key" onSubmit={(e) => { e.preventDefault(); void act(async () => setSecret((await post<{ writeKey: string }>('/v1/write-keys', { sourceId: source })).writeKey)); }}>
        <label htmlFor="source">Source</label>
        <input id="source" value={source} onChange={(e) => setSource(e.target.value)} required />
        <button type="submit">Create write key</button>
      </form>
      {secret && <Secret label="New write key" value={secret} onDone={() => setSecret(null)} />}
      <Status error={error} />
      <Status loading={keys.loading} error={keys.error} empty={keys.data?.length === 0} emptyText="No write keys yet." />
      {keys.data && keys.data.length > 0 && (
        <table>
          <thead><tr><th>Source</th><th>Created</th><th>State</th><th /></tr></thead>
          <tbody>{keys.data.map((k) => (
            <tr key={k.keyId} className={k.revokedAt ? 'muted' : undefined}>
              <td>{k.sourceId}</td><td>{formatTime(k.createdAt)}</td><td>{k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active'}</td>
              <td>{!k.revokedAt && <button type="button" className="secondary" onClick={() => act(() => api(`/v1/write-keys/${k.keyId}`, { method: 'DELETE' }))}>Revoke</button>}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function AuditLog() {
  const [before, setBefore] = useState<number | undefined>();
  const page = useLoad<{ entries: AuditEntry[]; next?: number }>(() => get(`/v1/audit?limit=50${before ? `&before=${before}` : ''}`), [before]);
  return (
    <div className="card">
      <h2>Audit log</h2>
      <Status loading={page.loading} error={page.error} empty={page.data?.entries.length === 0} emptyText="Nothing audited yet." />
      {page.data && page.data.entries.length > 0 && (
        <table>
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>Status</th><th>From</th></tr></thead>
          <tbody>{page.data.entries.map((e) => (
            <tr key={e.id}><td>{formatTime(e.at)}</td><td><code>{e.actor}</code></td><td><code>{e.method} {e.path}</code></td>
              <td>{e.status}</td><td>{e.clientIp ?? '—'}</td></tr>
          ))}</tbody>
        </table>
      )}
      <div className="row">
        {before && <button type="button" className="secondary" onClick={() => setBefore(undefined)}>Newest</button>}
        {page.data?.next && <button type="button" className="secondary" onClick={() => setBefore(page.data!.next)}>Older</button>}
      </div>
    </div>
  );
}

/** Workspace administration: who may do what, machine and event-source keys, and what was done. */
export function Settings() {
  return (
    <>
      <h1>Settings</h1>
      <div className="grid">
        <Members />
        <WriteKeys />
      </div>
      <ApiKeys />
      <AuditLog />
    </>
  );
}
