import { useMemo, useState } from 'react';
import { can, get } from '../api';
import { ComputedTraits, computedTraitRows } from '../profile';
import { REASONS, Recommendations } from '../recommendations';
import { Chart, formatTime, Status, useLoad } from '../ui';

interface Profile {
  profileId: string; mergedFrom?: string; userId?: string;
  identities: { kind: string; value: string; lastSeenAt: string }[];
  traits: Record<string, unknown>;
  computed: ComputedTraits;
  consent?: Record<string, { granted: boolean; source: string }>;
  ltv?: { probabilityAlive: number; expectedPurchases365: number; predictedSpend365?: number };
  rfm?: { tier: string; recencyDays: number; frequency: number; monetary: number };
  segments?: { segmentId: string; name: string }[];
}
interface Event { eventId: string; type: string; name: string; occurredAt: string; properties?: Record<string, unknown> }

export function ProfileDetail({ id }: { id: string }) {
  const profile = useLoad<Profile>(() => get(`/v1/profiles/${id}`), [id]);
  const [type, setType] = useState('');
  const [events, setEvents] = useState<Event[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [eventsError, setEventsError] = useState<unknown>();
  const timeline = useLoad(async () => {
    const page = await get<{ events: Event[]; nextCursor?: string }>(`/v1/profiles/${id}/events?limit=25${type ? `&type=${type}` : ''}`);
    setEvents(page.events);
    setNext(page.nextCursor);
    return page;
  }, [id, type]);

  async function more() {
    try {
      const page = await get<{ events: Event[]; nextCursor?: string }>(
        `/v1/profiles/${id}/events?limit=25${type ? `&type=${type}` : ''}&cursor=${encodeURIComponent(next!)}`);
      setEvents([...events, ...page.events]);
      setNext(page.nextCursor);
    } catch (error) {
      setEventsError(error);
    }
  }

  const counts = profile.data?.computed.trackEventCounts ?? {};
  const countsOption = useMemo(() => ({
    grid: { left: 140, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'value' as const },
    yAxis: { type: 'category' as const, data: Object.keys(counts) },
    series: [{ type: 'bar' as const, data: Object.values(counts), itemStyle: { color: '#2f6fde' } }],
  }), [counts]);
  const perDay = useMemo(() => {
    const days = new Map<string, number>();
    for (const event of events) days.set(event.occurredAt.slice(0, 10), (days.get(event.occurredAt.slice(0, 10)) ?? 0) + 1);
    const sorted = [...days.entries()].sort();
    return {
      grid: { left: 40, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'category' as const, data: sorted.map(([d]) => d) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: [{ type: 'bar' as const, data: sorted.map(([, n]) => n), itemStyle: { color: '#36a38b' } }],
    };
  }, [events]);

  const p = profile.data;
  return (
    <>
      <p><a href="#/profiles">← Profiles</a></p>
      <Status loading={profile.loading} error={profile.error} />
      {p && (
        <>
          <h1>{p.userId ?? 'Anonymous visitor'}</h1>
          {p.mergedFrom && <p className="muted">Profile {p.mergedFrom} was merged into this one.</p>}
          <div className="grid">
            <div className="card">
              <h2>Activity</h2>
              <p><span className="kpi">{p.computed.eventCount}</span> events</p>
              <p className="muted">First seen {formatTime(p.computed.firstSeenAt)} · last seen {formatTime(p.computed.lastSeenAt)}</p>
              {p.rfm && <p>RFM tier <span className="tag">{p.rfm.tier}</span> {p.rfm.frequency} purchase days, {p.rfm.monetary.toFixed(0)} spent, last {p.rfm.recencyDays} days ago</p>}
              {p.ltv && <p>Predicted next-year spend <strong>{(p.ltv.predictedSpend365 ?? 0).toFixed(0)}</strong> · {p.ltv.expectedPurchases365.toFixed(1)} purchases · {(100 * p.ltv.probabilityAlive).toFixed(0)}% still active</p>}
              {p.segments && p.segments.length > 0 && <p>Segments {p.segments.map((s) => <span key={s.segmentId} className="tag">{s.name}</span>)}</p>}
            </div>
            <ComputedTraitsCard computed={p.computed} />
            <div className="card">
              <h2>Identities</h2>
              <table><tbody>{p.identities.map((i) => <tr key={i.kind + i.value}><td>{i.kind}</td><td><code>{i.value.length > 24 ? i.value.slice(0, 24) + '…' : i.value}</code></td></tr>)}</tbody></table>
              <h2>Consent</h2>
              {p.consent && Object.keys(p.consent).length > 0
                ? Object.entries(p.consent).map(([purpose, c]) => <span key={purpose} className="tag">{purpose}: {c.granted ? 'granted' : 'refused'}</span>)
                : <p className="muted">No consent recorded.</p>}
            </div>
            <div className="card">
              <h2>Traits</h2>
              {Object.keys(p.traits).length === 0 ? <p className="muted">No traits.</p> : (
                <table><tbody>{Object.entries(p.traits).map(([k, v]) => <tr key={k}><td>{k}</td><td>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td></tr>)}</tbody></table>
              )}
            </div>
          </div>
          <div className="grid">
            <div className="card">
              <h2>Events by name</h2>
              {Object.keys(counts).length === 0 ? <p className="muted">No track events.</p> : <Chart option={countsOption} label="Track events by name" />}
            </div>
            <div className="card">
              <h2>Loaded events per day</h2>
              {events.length === 0 ? <p className="muted">No events.</p> : <Chart option={perDay} label="Events per day" />}
            </div>
          </div>
          {can('analytics:read') && <ProfileRecommendations profileId={p.profileId} />}
          <div className="card">
            <div className="row">
              <h2 style={{ margin: 0 }}>Timeline</h2>
              <label htmlFor="type">Type</label>
              <select id="type" value={type} onChange={(e) => setType(e.target.value)}>
                {['', 'track', 'identify', 'page', 'screen', 'group', 'alias'].map((t) => <option key={t} value={t}>{t || 'all'}</option>)}
              </select>
            </div>
            <Status loading={timeline.loading} error={timeline.error ?? eventsError} empty={!timeline.loading && events.length === 0} emptyText="No events of this type." />
            {events.length > 0 && (
              <table>
                <thead><tr><th>When</th><th>Type</th><th>Name</th><th>Properties</th></tr></thead>
                <tbody>{events.map((e) => (
                  <tr key={e.eventId}><td>{formatTime(e.occurredAt)}</td><td>{e.type}</td><td>{e.name}</td>
                    <td><code>{e.properties ? JSON.stringify(e.properties).slice(0, 120) : ''}</code></td></tr>
                ))}</tbody>
              </table>
            )}
            {next && <button type="button" className="secondary" onClick={more}>Load more</button>}
          </div>
        </>
      )}
    </>
  );
}

/** Sessions, orders, revenue, purchases, favourites and acquisition: only the traits the profile has. */
function ComputedTraitsCard({ computed }: { computed: ComputedTraits }) {
  const rows = computedTraitRows(computed);
  if (rows.length === 0) return null;
  return (
    <div className="card" role="region" aria-label="Computed traits">
      <h2>Computed traits</h2>
      <table aria-label="Computed traits of this profile"><tbody>{rows.map((r) => (
        <tr key={r.key} data-trait={r.key}><td>{r.label}</td><td>{r.value}</td></tr>
      ))}</tbody></table>
    </div>
  );
}

/** What the serving model recommends to this profile now (`GET /v1/recommendations/profiles/{id}`). */
function ProfileRecommendations({ profileId }: { profileId: string }) {
  const answer = useLoad<Recommendations>(() => get(`/v1/recommendations/profiles/${profileId}?limit=10`), [profileId]);
  const a = answer.data;
  return (
    <div className="card" role="region" aria-label="Recommendations">
      <div className="row">
        <h2 style={{ margin: 0 }}>Recommendations</h2>
        {a && <span className="muted">{a.versionId ? <>model version <code>{a.versionId.slice(0, 8)}</code></> : 'no model yet: popular items'} · {formatTime(a.generatedAt)}</span>}
        <a href="#/recommendations">Models and preview →</a>
      </div>
      <Status loading={answer.loading} error={answer.error} empty={!!a && a.items.length === 0}
        emptyText="Nothing to recommend yet: the workspace has no purchases." />
      {a && a.items.length > 0 && (
        <table aria-label="Recommended items">
          <thead><tr><th className="num">#</th><th>Item</th><th>Name</th><th>Category</th><th className="num">Score</th><th>Why</th></tr></thead>
          <tbody>{a.items.map((i) => (
            <tr key={i.itemId}><td className="num">{i.position}</td><td><code>{i.itemId}</code></td><td>{i.name ?? ''}</td><td>{i.category ?? ''}</td>
              <td className="num">{i.score.toFixed(4)}</td><td><span className={`tag reason-${i.reason}`}>{REASONS[i.reason] ?? i.reason}</span></td></tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
