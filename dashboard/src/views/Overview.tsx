import { useMemo, useState } from 'react';
import { get } from '../api';
import { amount, change, count, percent } from '../format';
import { fillBuckets, Interval, rangeQuery } from '../range';
import { Chart, Downloads, Status, useLoad } from '../ui';
import { RangePicker, useRange } from './Range';

interface Kpis {
  from: string; to: string; revenue: number; orders: number; averageOrderValue: number; activeProfiles: number;
  customers: number; newCustomers: number; returningCustomers: number; newProfiles: number; conversionRate: number;
}
type KpiKey = Exclude<keyof Kpis, 'from' | 'to'>;
interface KpiResult {
  current: Kpis; previous: Kpis; change: Record<KpiKey, number | null>; interval: string;
  series: { at: string; revenue: number; orders: number; activeProfiles: number }[];
}

const CARDS: { key: KpiKey; label: string; format: (n: number) => string }[] = [
  { key: 'revenue', label: 'Revenue', format: amount },
  { key: 'orders', label: 'Orders', format: count },
  { key: 'averageOrderValue', label: 'Average order value', format: amount },
  { key: 'activeProfiles', label: 'Active profiles', format: count },
  { key: 'customers', label: 'Customers', format: count },
  { key: 'conversionRate', label: 'Conversion rate', format: (n) => percent(n, 2) },
];

const day = (iso: string) => iso.slice(0, 10);
/** The API's ranges end at the first instant after them: the last day is the one before. */
const lastDay = (iso: string) => new Date(Date.parse(iso) - 1).toISOString().slice(0, 10);

function Delta({ relative }: { relative: number | null }) {
  const c = change(relative);
  const arrow = { up: '▲', down: '▼', flat: '•', none: '' }[c.direction];
  return <span className={`delta ${c.direction}`}>{arrow && <span aria-hidden="true">{arrow} </span>}{c.text}</span>;
}

function KpiCard({ label, value, previous, relative }: { label: string; value: string; previous: string; relative: number | null }) {
  return (
    <div className="card kpi-card" role="group" aria-label={label}>
      <div className="kpi-label">{label}</div>
      <div className="kpi" data-kpi={label}>{value}</div>
      <div><Delta relative={relative} /> <span className="muted">vs {previous}</span></div>
    </div>
  );
}

/** The overview: the range's KPIs against the period just before, and revenue and orders over time. */
export function Overview() {
  const rangeState = useRange();
  const { range } = rangeState;
  const [interval, setInterval] = useState('');
  const query = range ? `${rangeQuery(range)}${interval ? `&interval=${interval}` : ''}` : '';
  const kpis = useLoad<KpiResult | undefined>(() => (range ? get(`/v1/analytics/kpis?${query}`) : Promise.resolve(undefined)), [query]);
  const k = kpis.data;
  const option = useMemo(() => {
    const series = k && range ? fillBuckets(k.series, (p) => p.at, range, k.interval as Interval,
      (at) => ({ at, revenue: 0, orders: 0, activeProfiles: 0 })) : [];
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { bottom: 0 },
      grid: { left: 70, right: 50, top: 20, bottom: 50 },
      xAxis: { type: 'category' as const, data: series.map((p) => day(p.at)) },
      yAxis: [{ type: 'value' as const, name: 'revenue' }, { type: 'value' as const, name: 'orders', minInterval: 1 }],
      series: [
        { name: 'Revenue', type: 'bar' as const, barMaxWidth: 36, data: series.map((p) => +p.revenue.toFixed(2)), itemStyle: { color: '#2f6fde' } },
        { name: 'Orders', type: 'line' as const, yAxisIndex: 1, data: series.map((p) => p.orders), itemStyle: { color: '#e8833a' } },
      ],
    };
  }, [k, range]);

  return (
    <>
      <h1>Overview</h1>
      <RangePicker state={rangeState} />
      <Status loading={kpis.loading && !k} error={kpis.error} />
      {k && (
        <>
          <p className="muted">
            {day(k.current.from)} – {lastDay(k.current.to)}, compared with {day(k.previous.from)} – {lastDay(k.previous.to)}
            {kpis.loading && <span role="status"> · updating…</span>}
          </p>
          <div className="kpis">
            {CARDS.map((c) => (
              <KpiCard key={c.key} label={c.label} value={c.format(k.current[c.key])} previous={c.format(k.previous[c.key])}
                relative={k.change[c.key]} />
            ))}
            <div className="card kpi-card" role="group" aria-label="New vs returning customers">
              <div className="kpi-label">New vs returning customers</div>
              <div className="kpi" data-kpi="New vs returning customers">{count(k.current.newCustomers)} / {count(k.current.returningCustomers)}</div>
              <div className="split-delta"><span>new <Delta relative={k.change.newCustomers} /></span>
                <span>returning <Delta relative={k.change.returningCustomers} /></span></div>
            </div>
            <KpiCard label="New profiles" value={count(k.current.newProfiles)} previous={count(k.previous.newProfiles)}
              relative={k.change.newProfiles} />
          </div>
          <div className="card">
            <div className="row">
              <h2 style={{ margin: 0 }}>Revenue and orders</h2>
              <label htmlFor="interval">per</label>
              <select id="interval" value={interval} onChange={(e) => setInterval(e.target.value)}>
                <option value="">automatic</option>
                <option value="day">day</option>
                <option value="week">week</option>
                <option value="month">month</option>
              </select>
              <Downloads path={`/v1/analytics/kpis?${query}`} filename={`kpis-${range!.from}-${range!.to}`}
                report={{ question: { kind: 'kpis', parameters: { interval: interval || undefined } }, range: range!, lastDataDay: rangeState.span?.last }} />
            </div>
            {k.series.length === 0
              ? <p className="muted">No events in this range: pick another range or send events to the collector.</p>
              : <Chart option={option} height={300} label={`Revenue and orders per ${k.interval}`} />}
          </div>
        </>
      )}
    </>
  );
}
