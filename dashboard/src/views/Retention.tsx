import { useMemo, useState } from 'react';
import { get } from '../api';
import { count, percent } from '../format';
import { DateRange, rangeQuery } from '../range';
import { cohortAxis, cohortLabel, heatmapCells, periodAxis, RetentionResult } from '../retention';
import { Chart, Downloads, FieldError, invalid, Status, useLoad, formatter } from '../ui';

/** Retention cohorts by first sighting or first purchase, as a heat map; unfinished periods stay blank. */
export function Retention({ range, lastDataDay }: { range: DateRange; lastDataDay?: string | null }) {
  const [cohort, setCohort] = useState<RetentionResult['cohort']>('first-seen');
  const [period, setPeriod] = useState<RetentionResult['period']>('week');
  const [periods, setPeriods] = useState(8);
  const [event, setEvent] = useState('');
  const [applied, setApplied] = useState('');
  const query = `${rangeQuery(range)}&cohort=${cohort}&period=${period}&periods=${periods}${applied ? `&event=${encodeURIComponent(applied)}` : ''}`;
  const retention = useLoad<RetentionResult>(() => get(`/v1/analytics/retention?${query}`), [query]);
  const error = retention.error;
  return (
    <div className="card">
      <form className="row" aria-label="Retention" onSubmit={(e) => { e.preventDefault(); setApplied(event.trim()); }}>
        <label htmlFor="retention-cohort">Cohorts by</label>
        <select id="retention-cohort" value={cohort} onChange={(e) => setCohort(e.target.value as RetentionResult['cohort'])}
          {...invalid(error, 'cohort', 'retention-cohort-error')}>
          <option value="first-seen">first seen</option>
          <option value="first-purchase">first purchase</option>
        </select>
        <FieldError error={error} pointer="cohort" id="retention-cohort-error" />
        <label htmlFor="retention-period">per</label>
        <select id="retention-period" value={period} onChange={(e) => setPeriod(e.target.value as RetentionResult['period'])}>
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
        </select>
        <label htmlFor="retention-periods">periods</label>
        <input id="retention-periods" type="number" min={1} max={36} style={{ width: 60 }} value={periods}
          onChange={(e) => setPeriods(Number(e.target.value))} {...invalid(error, 'periods', 'retention-periods-error')} />
        <FieldError error={error} pointer="periods" id="retention-periods-error" />
        <label htmlFor="retention-event">returning with</label>
        <input id="retention-event" list="event-names" value={event} placeholder="any event" size={18}
          onChange={(e) => setEvent(e.target.value)} {...invalid(error, 'event', 'retention-event-error')} />
        <button type="submit" className="secondary">Apply</button>
        <FieldError error={error} pointer="event" id="retention-event-error" />
        <Downloads path={`/v1/analytics/retention?${query}`} filename={`retention-${range.from}-${range.to}`}
          report={{ question: { kind: 'retention', parameters: { cohort, period, periods, event: applied || undefined } }, range, lastDataDay }} />
      </form>
      <Status loading={retention.loading} error={error}
        empty={!retention.loading && !error && retention.data?.cohorts.length === 0} emptyText="No cohort starts in this range." />
      {retention.data && !retention.loading && retention.data.cohorts.length > 0 && <RetentionAnswer result={retention.data} />}
    </div>
  );
}

export function RetentionAnswer({ result }: { result: RetentionResult }) {
  const option = useMemo(() => {
    const cells = heatmapCells(result);
    return {
      tooltip: {
        formatter: formatter<{ data: [number, number, number, number] }>((p) =>
          `${periodAxis(result)[p.data[0]]}: ${p.data[2]}% (${count(p.data[3])} profiles)`),
      },
      grid: { left: 150, right: 90, top: 10, bottom: 30 },
      xAxis: { type: 'category' as const, data: periodAxis(result), splitArea: { show: true } },
      yAxis: { type: 'category' as const, data: cohortAxis(result), splitArea: { show: true } },
      visualMap: { min: 0, max: 100, orient: 'vertical' as const, right: 0, top: 'middle', itemHeight: 120, text: ['100%', '0%'],
        inRange: { color: ['#e3ecfb', '#2f6fde', '#17233b'] } },
      series: [{ type: 'heatmap' as const, data: cells, label: { show: true, formatter: formatter<{ data: number[] }>((p) => `${p.data[2]}%`) } }],
    };
  }, [result]);
  return (
    <>
      <p className="muted">
        {result.cohorts.length} {result.cohorts.length === 1 ? 'cohort' : 'cohorts'} · data observed until {result.observedUntil?.slice(0, 10) ?? '—'}; periods not over by then are blank
      </p>
      <Chart option={option} height={Math.max(220, 34 * result.cohorts.length + 80)} label="Retention heat map: share of each cohort back per period" />
      <RetentionTable result={result} />
    </>
  );
}

/** The numbers behind the heat map: a cohort's size and how many came back per period (blank: not over yet). */
export function RetentionTable({ result }: { result: RetentionResult }) {
  return (
    <div className="table-wrap">
      <table aria-label="Retention by cohort" className="retention">
        <thead><tr><th>Cohort</th><th className="num">Size</th>{periodAxis(result).map((p) => <th key={p} className="num">{p}</th>)}</tr></thead>
        <tbody>{result.cohorts.map((c) => (
          <tr key={c.start}>
            <td>{cohortLabel(c.start, result.period)}</td>
            <td className="num">{count(c.size)}</td>
            {c.retained.map((n, i) => (n === null || c.rates[i] === null
              ? <td key={i} className="num unknown" title="not over yet" />
              : <td key={i} className="num" title={`${count(n)} profiles`}>{percent(c.rates[i])}</td>))}
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}
