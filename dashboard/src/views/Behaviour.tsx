import { useMemo, useState } from 'react';
import { get } from '../api';
import { count } from '../format';
import { DateRange, rangeQuery } from '../range';
import { Chart, Column, DataTable, Downloads, Status, useLoad } from '../ui';
import { Funnels } from './Funnels';
import { Paths } from './Paths';
import { RangePicker, useRange } from './Range';
import { Retention } from './Retention';

interface TopRow { type: string; label: string; events: number; profiles: number }

const TABS = [
  { tab: 'top', label: 'Top events and pages' },
  { tab: 'paths', label: 'Paths' },
  { tab: 'funnels', label: 'Funnels' },
  { tab: 'retention', label: 'Retention' },
] as const;
export type BehaviourTab = (typeof TABS)[number]['tab'];

/** Website behaviour: top events and pages, paths, funnels and retention over the chosen range. */
export function Behaviour({ tab }: { tab: BehaviourTab }) {
  const rangeState = useRange();
  const { range } = rangeState;
  const last = rangeState.span?.last;
  return (
    <>
      <h1>Website behaviour</h1>
      <nav className="tabs" aria-label="Website behaviour">
        {TABS.map((t) => (
          <a key={t.tab} href={`#/behaviour/${t.tab}`} aria-current={t.tab === tab ? 'page' : undefined}>{t.label}</a>
        ))}
      </nav>
      <RangePicker state={rangeState} />
      {range && <EventNames range={range} />}
      {range && tab === 'top' && <TopEvents range={range} lastDataDay={last} />}
      {range && tab === 'paths' && <Paths range={range} lastDataDay={last} />}
      {range && tab === 'funnels' && <Funnels range={range} lastDataDay={last} />}
      {range && tab === 'retention' && <Retention range={range} lastDataDay={last} />}
    </>
  );
}

/** The range's track event names, offered while typing an event name anywhere on the page. */
function EventNames({ range }: { range: DateRange }) {
  const names = useLoad<{ rows: TopRow[] }>(() => get(`/v1/analytics/events/top?${rangeQuery(range)}&type=track&limit=100`), [range.from, range.to]);
  return <datalist id="event-names">{(names.data?.rows ?? []).map((r) => <option key={r.label} value={r.label} />)}</datalist>;
}

function TopEvents({ range, lastDataDay }: { range: DateRange; lastDataDay?: string | null }) {
  const [type, setType] = useState('');
  const [limit, setLimit] = useState(20);
  const query = `${rangeQuery(range)}&limit=${limit}${type ? `&type=${type}` : ''}`;
  const top = useLoad<{ rows: TopRow[] }>(() => get(`/v1/analytics/events/top?${query}`), [query]);
  const rows = top.data?.rows ?? [];
  const option = useMemo(() => {
    const shown = rows.slice(0, 15).reverse();
    return {
      tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
      legend: { bottom: 0 },
      grid: { left: 200, right: 30, top: 10, bottom: 50 },
      xAxis: { type: 'value' as const, minInterval: 1 },
      yAxis: { type: 'category' as const, data: shown.map((r) => r.label), axisLabel: { width: 180, overflow: 'truncate' as const } },
      series: [
        { name: 'Events', type: 'bar' as const, barMaxWidth: 36, data: shown.map((r) => r.events), itemStyle: { color: '#2f6fde' } },
        { name: 'Profiles', type: 'bar' as const, barMaxWidth: 36, data: shown.map((r) => r.profiles), itemStyle: { color: '#36a38b' } },
      ],
    };
  }, [rows]);
  const columns: Column<TopRow>[] = [
    { key: 'label', label: 'Event or page' },
    { key: 'type', label: 'Type' },
    { key: 'events', label: 'Events', numeric: true, render: (r) => count(r.events) },
    { key: 'profiles', label: 'Profiles', numeric: true, render: (r) => count(r.profiles) },
  ];
  return (
    <div className="card">
      <div className="row">
        <label htmlFor="top-type">Show</label>
        <select id="top-type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">events, pages and screens</option>
          <option value="track">events</option>
          <option value="page">pages</option>
          <option value="screen">screens</option>
        </select>
        <label htmlFor="top-limit">Top</label>
        <select id="top-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
          {[20, 50, 100].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        <Downloads path={`/v1/analytics/events/top?${query}`} filename={`top-events-${range.from}-${range.to}`}
          report={{ question: { kind: 'events', parameters: { type: type || undefined, limit } }, range, lastDataDay }} />
      </div>
      <Status loading={top.loading} error={top.error} empty={!top.loading && !top.error && rows.length === 0}
        emptyText="No events, pages or screens in this range." />
      {rows.length > 0 && !top.loading && (
        <>
          <Chart option={option} height={Math.max(220, 26 * Math.min(rows.length, 15) + 70)} label="Top events by count" />
          <DataTable label="Top events and pages" columns={columns} rows={rows} rowKey={(r) => `${r.type}:${r.label}`}
            initialSort={{ key: 'events', descending: true }} />
        </>
      )}
    </div>
  );
}
