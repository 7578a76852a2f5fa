import { useMemo, useState } from 'react';
import { get } from '../api';
import { count, duration, percent } from '../format';
import { hourZoneMatrix, KIOSK_METRICS, KioskMetric, KioskRow } from '../kiosk';
import { fillBuckets, rangeQuery } from '../range';
import { Chart, Column, DataTable, Downloads, Status, useLoad, formatter } from '../ui';
import { RangePicker, useRange } from './Range';

const COLUMNS: Column<KioskRow>[] = [
  { key: 'zone', label: 'Zone' },
  { key: 'screen', label: 'Screen' },
  { key: 'impressions', label: 'Impressions', numeric: true, render: (r) => count(r.impressions) },
  { key: 'clicks', label: 'Clicks', numeric: true, render: (r) => count(r.clicks) },
  { key: 'clickThroughRate', label: 'Click-through', numeric: true, render: (r) => percent(r.clickThroughRate) || '—' },
  { key: 'visits', label: 'Visits', numeric: true, render: (r) => count(r.visits) },
  { key: 'dwellSeconds', label: 'Dwell time', numeric: true, render: (r) => duration(r.dwellSeconds) },
  { key: 'averageDwellSeconds', label: 'Average dwell', numeric: true, render: (r) => duration(r.averageDwellSeconds) },
];

/** In-store screens per zone and screen: impressions, clicks, click-through, visits and dwell time. */
export function Kiosk() {
  const rangeState = useRange();
  const { range } = rangeState;
  const [by, setBy] = useState<'day' | 'hour'>('day');
  const [metric, setMetric] = useState<KioskMetric>('impressions');
  const base = range ? rangeQuery(range) : '';
  const load = <T,>(by: string) => () => (range ? get<T>(`/v1/analytics/kiosk?${base}&by=${by}`) : Promise.resolve(undefined));
  const total = useLoad<{ rows: KioskRow[] } | undefined>(load('total'), [base]);
  const hours = useLoad<{ rows: KioskRow[] } | undefined>(load('hourOfDay'), [base]);
  const series = useLoad<{ rows: KioskRow[] } | undefined>(load(by), [base, by]);

  const heat = useMemo(() => {
    const matrix = hourZoneMatrix(hours.data?.rows ?? [], metric);
    const max = Math.max(1, ...matrix.cells.map((c) => c[2]));
    return {
      zones: matrix.zones,
      option: {
        tooltip: { formatter: formatter<{ data: [number, number, number] }>((p) => `${matrix.zones[p.data[1]]}, ${matrix.hours[p.data[0]]}: ${p.data[2]}${metric === 'clickThroughRate' ? '%' : ''}`) },
        grid: { left: 110, right: 90, top: 10, bottom: 30 },
        xAxis: { type: 'category' as const, data: matrix.hours, splitArea: { show: true } },
        yAxis: { type: 'category' as const, data: matrix.zones, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max, orient: 'vertical' as const, right: 0, top: 'middle', itemHeight: 120, text: [String(max), '0'],
          inRange: { color: ['#f4f6f9', '#f2b35e', '#c2410c'] } },
        series: [{ type: 'heatmap' as const, data: matrix.cells,
          label: { show: true, formatter: formatter<{ data: [number, number, number] }>((p) => (p.data[2] ? String(p.data[2]) : '')) } }],
      },
    };
  }, [hours.data, metric]);

  const over = useMemo(() => {
    const buckets = new Map<string, { impressions: number; clicks: number; visits: number }>();
    for (const row of series.data?.rows ?? []) {
      const at = String(row[by] ?? '');
      const sum = buckets.get(at) ?? { impressions: 0, clicks: 0, visits: 0 };
      sum.impressions += row.impressions;
      sum.clicks += row.clicks;
      sum.visits += row.visits;
      buckets.set(at, sum);
    }
    const keys = by === 'day' && range
      ? fillBuckets([...buckets.keys()], (at) => at, range, 'day', (date) => `${date}T00:00:00Z`)
      : [...buckets.keys()].sort();
    const label = (at: string) => (by === 'day' ? at.slice(0, 10) : at.slice(0, 13).replace('T', ' ') + 'h');
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { bottom: 0 },
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category' as const, data: keys.map(label) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: (['impressions', 'clicks', 'visits'] as const).map((m, i) => ({
        name: m, type: 'line' as const, data: keys.map((k) => buckets.get(k)?.[m] ?? 0), itemStyle: { color: ['#2f6fde', '#e8833a', '#36a38b'][i] },
      })),
    };
  }, [series.data, by, range?.from, range?.to]);

  const rows = total.data?.rows ?? [];
  const sums = rows.reduce((s, r) => ({ impressions: s.impressions + r.impressions, clicks: s.clicks + r.clicks, visits: s.visits + r.visits,
    dwell: s.dwell + r.dwellSeconds }), { impressions: 0, clicks: 0, visits: 0, dwell: 0 });
  return (
    <>
      <h1>Kiosk zones</h1>
      <RangePicker state={rangeState} />
      <Status loading={total.loading} error={total.error}
        empty={!total.loading && !total.error && rows.length === 0}
        emptyText="No kiosk events in this range: in-store screens send Promotion Viewed, Promotion Clicked and Zone Dwell with zone and screen." />
      {rows.length > 0 && !total.loading && (
        <>
          <div className="kpis compact">
            <Figure label="Impressions" value={count(sums.impressions)} />
            <Figure label="Clicks" value={count(sums.clicks)} />
            <Figure label="Click-through" value={percent(sums.impressions ? sums.clicks / sums.impressions : null) || '—'} />
            <Figure label="Visits" value={count(sums.visits)} />
            <Figure label="Average dwell" value={duration(sums.visits ? sums.dwell / sums.visits : null)} />
          </div>
          <div className="card">
            <div className="row">
              <h2 style={{ margin: 0 }}>Zones and screens</h2>
              <Downloads path={`/v1/analytics/kiosk?${base}&by=total`} filename={`kiosk-${range!.from}-${range!.to}`}
                report={{ question: { kind: 'kiosk', parameters: { by: 'total' } }, range: range!, lastDataDay: rangeState.span?.last }} />
            </div>
            <DataTable label="Kiosk zones and screens" columns={COLUMNS} rows={rows} rowKey={(r) => `${r.zone}/${r.screen}`}
              initialSort={{ key: 'impressions', descending: true }} />
          </div>
          <div className="card">
            <div className="row">
              <h2 style={{ margin: 0 }}>Hour of day × zone</h2>
              <label htmlFor="kiosk-metric">Show</label>
              <select id="kiosk-metric" value={metric} onChange={(e) => setMetric(e.target.value as KioskMetric)}>
                {KIOSK_METRICS.map((m) => <option key={m.metric} value={m.metric}>{m.label}</option>)}
              </select>
              <span className="muted">UTC hours</span>
            </div>
            <Status loading={hours.loading} error={hours.error} />
            {hours.data && <Chart option={heat.option} height={Math.max(160, 44 * heat.zones.length + 50)}
              label={`Kiosk ${metric} by hour of day and zone`} />}
          </div>
          <div className="card">
            <div className="row">
              <h2 style={{ margin: 0 }}>Over time</h2>
              <label htmlFor="kiosk-by">per</label>
              <select id="kiosk-by" value={by} onChange={(e) => setBy(e.target.value as 'day' | 'hour')}>
                <option value="day">day</option>
                <option value="hour">hour</option>
              </select>
              <Downloads path={`/v1/analytics/kiosk?${base}&by=${by}`} filename={`kiosk-by-${by}-${range!.from}-${range!.to}`}
                report={{ question: { kind: 'kiosk', parameters: { by } }, range: range!, lastDataDay: rangeState.span?.last }} />
            </div>
            <Status loading={series.loading} error={series.error} />
            {series.data && !series.loading && (
              <>
                <Chart option={over} height={260} label={`Kiosk impressions, clicks and visits per ${by}`} />
                <DataTable label={`Kiosk zones per ${by}`} rows={series.data.rows} rowKey={(r, i) => `${r.zone}/${r.screen}/${r[by]}/${i}`}
                  columns={[{ key: by, label: by === 'day' ? 'Day' : 'Hour', render: (r) => String(r[by] ?? '').slice(0, by === 'day' ? 10 : 16).replace('T', ' ') }, ...COLUMNS]}
                  initialSort={{ key: by, descending: false }} />
              </>
            )}
          </div>
        </>
      )}
    </>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="card kpi-card" role="group" aria-label={label}>
      <div className="kpi-label">{label}</div>
      <div className="kpi" data-kpi={label}>{value}</div>
    </div>
  );
}
