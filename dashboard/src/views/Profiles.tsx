import { useState } from 'react';
import { get, post } from '../api';
import { formatTime, Status, useLoad } from '../ui';

interface Summary { profileId: string; userId?: string; traits: Record<string, unknown>; lastSeenAt: string; eventCount: number }
interface Page { profiles: Summary[]; nextCursor?: string; total: number; totalExact: boolean }

const FIELDS = ['traits.country', 'traits.email', 'eventCount', 'lastSeenAt', 'userId', 'rfm.tier', 'ltv.predictedSpend365'];
const OPS = ['eq', 'neq', 'prefix', 'gte', 'lte', 'exists', 'missing'];

export function Profiles() {
  const [filter, setFilter] = useState({ field: 'traits.country', op: 'eq', value: '' });
  const [applied, setApplied] = useState<typeof filter | null>(null);
  const [sort, setSort] = useState('lastSeenAt');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [lookup, setLookup] = useState('');
  const [lookupError, setLookupError] = useState<unknown>();
  const cursor = cursors[cursors.length - 1];
  const page = useLoad<Page>(() => post('/v1/profiles/search', {
    filters: applied ? [{ field: applied.field, op: applied.op, value: valueOf(applied) }] : [],
    sort: { field: sort, direction: 'desc' }, limit: 20, cursor,
  }), [applied, sort, cursor]);

  async function find(event: React.FormEvent) {
    event.preventDefault();
    setLookupError(undefined);
    const text = lookup.trim();
    const parameter = /^[0-9a-f-]{36}$/i.test(text) ? null : text.includes('@') ? 'email' : 'userId';
    try {
      const profile = await get<{ profileId: string }>(parameter ? `/v1/profiles?${parameter}=${encodeURIComponent(text)}`
        : `/v1/profiles/${text}`);
      window.location.hash = `#/profiles/${profile.profileId}`;
    } catch (error) {
      setLookupError(error);
    }
  }

  return (
    <>
      <h1>Profiles</h1>
      <div className="card">
        <form className="row" onSubmit={find} aria-label="Look up a profile">
          <label htmlFor="lookup">Find by profile id, user id or email</label>
          <input id="lookup" value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="17850" size={30} />
          <button type="submit" disabled={!lookup.trim()}>Open</button>
        </form>
        <Status error={lookupError} />
        <form className="row" aria-label="Filter profiles"
          onSubmit={(e) => { e.preventDefault(); setApplied({ ...filter }); setCursors([undefined]); }}>
          <label htmlFor="field">Filter</label>
          <select id="field" value={filter.field} onChange={(e) => setFilter({ ...filter, field: e.target.value })}>
            {FIELDS.map((f) => <option key={f}>{f}</option>)}
          </select>
          <select aria-label="Operator" value={filter.op} onChange={(e) => setFilter({ ...filter, op: e.target.value })}>
            {OPS.map((o) => <option key={o}>{o}</option>)}
          </select>
          <input aria-label="Value" value={filter.value} onChange={(e) => setFilter({ ...filter, value: e.target.value })} />
          <button type="submit">Apply</button>
          {applied && <button type="button" className="secondary" onClick={() => { setApplied(null); setCursors([undefined]); }}>Clear</button>}
          <label htmlFor="sort">Sort</label>
          <select id="sort" value={sort} onChange={(e) => { setSort(e.target.value); setCursors([undefined]); }}>
            <option value="lastSeenAt">Last seen</option>
            <option value="eventCount">Events</option>
            <option value="firstSeenAt">First seen</option>
          </select>
        </form>
      </div>
      <div className="card">
        <Status loading={page.loading} error={page.error} empty={page.data?.profiles.length === 0}
          emptyText="No profiles match. Send events to the collector or change the filter." />
        {page.data && page.data.profiles.length > 0 && (
          <>
            <p className="muted">{page.data.totalExact ? '' : '~'}{page.data.total.toLocaleString()} profiles</p>
            <table>
              <thead><tr><th>User id</th><th>Name / email</th><th>Country</th><th>Events</th><th>Last seen</th></tr></thead>
              <tbody>
                {page.data.profiles.map((p) => (
                  <tr key={p.profileId} className="clickable" tabIndex={0}
                    onClick={() => { window.location.hash = `#/profiles/${p.profileId}`; }}
                    onKeyDown={(e) => { if (e.key === 'Enter') window.location.hash = `#/profiles/${p.profileId}`; }}>
                    <td>{p.userId ?? <span className="muted">anonymous</span>}</td>
                    <td>{String(p.traits.name ?? p.traits.email ?? '')}</td>
                    <td>{String(p.traits.country ?? '')}</td>
                    <td>{p.eventCount}</td>
                    <td>{formatTime(p.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row">
              <button type="button" className="secondary" disabled={cursors.length === 1}
                onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
              <button type="button" className="secondary" disabled={!page.data.nextCursor}
                onClick={() => setCursors([...cursors, page.data!.nextCursor])}>Next</button>
            </div>
          </>
        )}
      </div>
    </>
  );
}

function valueOf(filter: { op: string; value: string }) {
  if (filter.op === 'exists' || filter.op === 'missing') return undefined;
  if (['gte', 'lte'].includes(filter.op) && /^-?\d+(\.\d+)?$/.test(filter.value)) return Number(filter.value);
  return filter.value;
}
