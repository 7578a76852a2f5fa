import { useEffect, useMemo, useRef, useState } from 'react';
import { api, can, download, get, post } from '../api';
import { emptyRule, parseRule, Rule, toJson } from '../rule';
import { Chart, formatTime, Status, useLoad } from '../ui';
import { RuleBuilder } from './RuleBuilder';

interface Segment { segmentId: string; name: string; description?: string; rule: unknown; version: number; size: number; computedAt?: string }
interface Preview { size: number; sample: { profileId: string; userId?: string }[]; durationMs: number }
interface SizePoint { computedAt: string; version?: number; size: number; entered: number; exited: number }
interface Member { profileId: string; userId?: string; traits?: Record<string, unknown>; lastSeenAt?: string; enteredAt?: string }
interface MembersPage { members: Member[]; nextCursor?: string }

/** The saved segments and the builder; `openId` (from `#/segments/<id>`) opens that segment once the list is in. */
export function Segments({ openId }: { openId?: string }) {
  const list = useLoad<Segment[]>(() => get('/v1/segments'), []);
  const [selected, setSelected] = useState<Segment | null>(null);
  const [rule, setRule] = useState<Rule>(emptyRule());
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<{ data?: Preview; error?: unknown; loading?: boolean }>({});
  const [saveError, setSaveError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState('');
  // every save and recompute: the history and members are asked again even when the size stayed
  const [computations, setComputations] = useState(0);
  const json = useMemo(() => toJson(rule), [rule]);

  // live preview while editing, debounced
  useEffect(() => {
    setPreview((p) => ({ ...p, loading: true }));
    const timer = setTimeout(() => {
      post<Preview>('/v1/segments/preview', { rule: json })
        .then((data) => setPreview({ data }), (error) => setPreview({ error }));
    }, 400);
    return () => clearTimeout(timer);
  }, [json]);

  const opened = useRef<string | undefined>(undefined);
  useEffect(() => {
    const wanted = list.data?.find((s) => s.segmentId === openId);
    if (wanted && opened.current !== openId) open(wanted);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data, openId]);

  function open(segment: Segment) {
    opened.current = segment.segmentId;
    setSelected(segment);
    setName(segment.name);
    setRule(parseRule(segment.rule));
    setMessage('');
  }

  async function recompute() {
    if (!selected) return;
    setSaveError(undefined);
    setBusy('Recomputing…');
    try {
      const computed = await post<{ size: number; entered: number; exited: number; durationMs: number }>(
        `/v1/segments/${selected.segmentId}/recompute`);
      setMessage(`Recomputed "${selected.name}": ${computed.size.toLocaleString()} members, +${computed.entered} −${computed.exited} (${computed.durationMs} ms).`);
      setSelected({ ...selected, size: computed.size });
      setComputations((n) => n + 1);
      list.reload();
    } catch (error) {
      setSaveError(error);
    } finally {
      setBusy('');
    }
  }

  async function exportCsv() {
    if (!selected) return;
    setSaveError(undefined);
    setBusy('Exporting…');
    try {
      await download(`/v1/segments/${selected.segmentId}/export`, `${selected.name.replace(/[^\w.-]+/g, '-')}.csv`);
    } catch (error) {
      setSaveError(error);
    } finally {
      setBusy('');
    }
  }

  async function save() {
    setSaveError(undefined);
    try {
      const body = { name, description: selected?.description ?? undefined, rule: json };
      const saved = selected
        ? await api<Segment>(`/v1/segments/${selected.segmentId}`, { method: 'PUT', body: JSON.stringify(body) })
        : await post<Segment>('/v1/segments', body);
      const computed = await post<{ size: number; entered: number; exited: number }>(`/v1/segments/${saved.segmentId}/recompute`);
      setMessage(`Saved "${saved.name}" (version ${saved.version}): ${computed.size} members, +${computed.entered} −${computed.exited}.`);
      setSelected({ ...saved, size: computed.size });
      setComputations((n) => n + 1);
      opened.current = saved.segmentId;
      window.location.hash = `#/segments/${saved.segmentId}`;
      list.reload();
    } catch (error) {
      setSaveError(error);
    }
  }

  return (
    <>
      <h1>Segments</h1>
      <div className="grid" style={{ gridTemplateColumns: 'minmax(260px, 1fr) 2.5fr' }}>
        <div className="card">
          <div className="row">
            <h2 style={{ margin: 0 }}>Saved</h2>
            <button type="button" className="secondary" onClick={() => { opened.current = undefined; window.location.hash = '#/segments'; setSelected(null); setName(''); setRule(emptyRule()); setMessage(''); }}>New</button>
          </div>
          <Status loading={list.loading} error={list.error} empty={list.data?.length === 0} emptyText="No segments yet: build one." />
          {list.data && list.data.length > 0 && (
            <table>
              <thead><tr><th>Name</th><th>Members</th></tr></thead>
              <tbody>{list.data.map((s) => (
                <tr key={s.segmentId} className="clickable" tabIndex={0} aria-selected={selected?.segmentId === s.segmentId}
                  onClick={() => { window.location.hash = `#/segments/${s.segmentId}`; open(s); }}
                  onKeyDown={(e) => { if (e.key === 'Enter') { window.location.hash = `#/segments/${s.segmentId}`; open(s); } }}>
                  <td>{s.name}</td><td>{s.size.toLocaleString()}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </div>
        <div>
          <div className="card">
            <div className="row">
              <label htmlFor="segment-name">Name</label>
              <input id="segment-name" value={name} onChange={(e) => setName(e.target.value)} size={30} />
              {can('segments:write') && <button type="button" onClick={save} disabled={!name.trim()}>{selected ? 'Save new version' : 'Save'}</button>}
              {selected && can('segments:write') && (
                <button type="button" className="secondary" onClick={recompute} disabled={!!busy}>Recompute</button>
              )}
              {selected && can('profiles:export') && (
                <button type="button" className="secondary" onClick={exportCsv} disabled={!!busy}
                  title="Members who granted marketing consent, as CSV">Export CSV</button>
              )}
              {busy && <span className="muted" role="status">{busy}</span>}
            </div>
            {selected?.description && <p className="muted" aria-label="Segment description">{selected.description}</p>}
            <RuleBuilder rule={rule} onChange={setRule} error={saveError ?? preview.error} />
            <Status error={saveError} />
            {message && <p role="status">{message}</p>}
          </div>
          <div className="card" aria-live="polite">
            <h2>Preview</h2>
            <Status loading={preview.loading && !preview.data} error={preview.error} />
            {preview.data && !preview.error && (
              <>
                <p><span className="kpi">{preview.data.size.toLocaleString()}</span> profiles match now <span className="muted">({preview.data.durationMs} ms)</span></p>
                <p>{preview.data.sample.map((m) => <a key={m.profileId} className="tag" href={`#/profiles/${m.profileId}`}>{m.userId ?? m.profileId.slice(0, 8)}</a>)}</p>
              </>
            )}
          </div>
          {selected && <History segment={selected} computations={computations} />}
          {selected && <Members segment={selected} computations={computations} />}
          <details className="card"><summary>Rule JSON</summary><pre>{JSON.stringify(json, null, 2)}</pre></details>
        </div>
      </div>
    </>
  );
}

function History({ segment, computations }: { segment: Segment; computations: number }) {
  const history = useLoad<SizePoint[]>(() => get(`/v1/segments/${segment.segmentId}/history?limit=50`), [segment.segmentId, segment.size, computations]);
  const option = useMemo(() => {
    const points = [...(history.data ?? [])].reverse();
    return {
      grid: { left: 50, right: 20, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis' as const },
      xAxis: { type: 'category' as const, data: points.map((p) => formatTime(p.computedAt)) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: [{ type: 'line' as const, data: points.map((p) => p.size), itemStyle: { color: '#2f6fde' } }],
    };
  }, [history.data]);
  const latest = history.data?.[0];
  return (
    <div className="card">
      <h2>Size history</h2>
      <Status loading={history.loading} error={history.error} empty={history.data?.length === 0} emptyText="Not computed yet." />
      {latest && (
        <p className="muted" aria-label="Size history summary">
          {history.data!.length} computation{history.data!.length === 1 ? '' : 's'} · latest {latest.size.toLocaleString()} members
          (+{latest.entered.toLocaleString()} −{latest.exited.toLocaleString()}) at {formatTime(latest.computedAt)}
        </p>
      )}
      {history.data && history.data.length > 0 && <Chart option={option} height={200} label="Segment size over time" />}
    </div>
  );
}

/** The saved segment's members (`GET /v1/segments/{id}/members`, keyset pages of 25), each a link to the profile. */
function Members({ segment, computations }: { segment: Segment; computations: number }) {
  const [pages, setPages] = useState<MembersPage[]>([]);
  const first = useLoad<MembersPage>(() => get(`/v1/segments/${segment.segmentId}/members?limit=25`), [segment.segmentId, segment.size, computations]);
  const [more, setMore] = useState<{ loading?: boolean; error?: unknown }>({});
  useEffect(() => setPages(first.data ? [first.data] : []), [first.data]);
  const members = pages.flatMap((p) => p.members);
  const cursor = pages[pages.length - 1]?.nextCursor;
  async function loadMore() {
    if (!cursor) return;
    setMore({ loading: true });
    try {
      const page = await get<MembersPage>(`/v1/segments/${segment.segmentId}/members?limit=25&cursor=${encodeURIComponent(cursor)}`);
      setPages((p) => [...p, page]);
      setMore({});
    } catch (error) {
      setMore({ error });
    }
  }
  return (
    <div className="card">
      <h2>Members</h2>
      <Status loading={first.loading} error={first.error ?? more.error} empty={!first.loading && members.length === 0} emptyText="No members: recompute after the data changes." />
      {members.length > 0 && (
        <table aria-label={`Members of ${segment.name}`}>
          <thead><tr><th>Profile</th><th>Last seen</th><th>Member since</th></tr></thead>
          <tbody>{members.map((m) => (
            <tr key={m.profileId}>
              <td><a href={`#/profiles/${m.profileId}`}>{m.userId ?? m.profileId}</a></td>
              <td>{formatTime(m.lastSeenAt)}</td><td>{formatTime(m.enteredAt)}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      {cursor && <button type="button" className="secondary" disabled={more.loading} onClick={() => void loadMore()}>{more.loading ? 'Loading…' : 'Load more'}</button>}
    </div>
  );
}
