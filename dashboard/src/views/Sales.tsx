import { useMemo, useState } from 'react';
import { get } from '../api';
import { amount, count } from '../format';
import { fillBuckets, Interval, rangeQuery } from '../range';
import { Chart, Column, DataTable, Downloads, FieldError, invalid, Status, useLoad } from '../ui';
import { RangePicker, useRange } from './Range';

interface SalesRow {
  product?: string; name?: string; category?: string; brand?: string; day?: string; week?: string; month?: string;
  revenue: number; quantity: number; orders: number; customers: number;
}

const DIMENSIONS = [
  { by: 'product', label: 'Product' },
  { by: 'category', label: 'Category' },
  { by: 'brand', label: 'Brand' },
  { by: 'day', label: 'Day' },
  { by: 'week', label: 'Week' },
  { by: 'month', label: 'Month' },
] as const;
type By = (typeof DIMENSIONS)[number]['by'];
const TIME: By[] = ['day', 'week', 'month'];

/** Sales from the purchases' product lines, by product, category, brand or time. */
export function Sales() {
  const rangeState = useRange();
  const { range } = rangeState;
  const [by, setBy] = useState<By>('product');
  const [limit, setLimit] = useState(100);
  const time = TIME.includes(by);
  const query = range ? `${rangeQuery(range)}&by=${by}${time ? '' : `&limit=${limit}`}` : '';
  const sales = useLoad<{ rows: SalesRow[] } | undefined>(
    () => (range ? get(`/v1/analytics/sales?${query}`) : Promise.resolve(undefined)), [query]);
  const rows = sales.data?.rows ?? [];
  const label = DIMENSIONS.find((d) => d.by === by)!.label;
  const keyOf = (row: SalesRow) => String(row[by] ?? '');

  const option = useMemo(() => {
    if (time && range) {
      const series = fillBuckets(rows, keyOf, range, by as Interval,
        (date) => ({ [by]: date, revenue: 0, quantity: 0, orders: 0, customers: 0 }) as SalesRow);
      return {
        tooltip: { trigger: 'axis' as const },
        legend: { bottom: 0 },
        grid: { left: 70, right: 50, top: 20, bottom: 50 },
        xAxis: { type: 'category' as const, data: series.map(keyOf) },
        yAxis: [{ type: 'value' as const, name: 'revenue' }, { type: 'value' as const, name: 'orders', minInterval: 1 }],
        series: [
          { name: 'Revenue', type: 'bar' as const, barMaxWidth: 36, data: series.map((r) => +r.revenue.toFixed(2)), itemStyle: { color: '#2f6fde' } },
          { name: 'Orders', type: 'line' as const, yAxisIndex: 1, data: series.map((r) => r.orders), itemStyle: { color: '#e8833a' } },
        ],
      };
    }
    const top = rows.slice(0, 15).reverse();
    const name = (r: SalesRow) => (r.name ? `${r.name} (${keyOf(r)})` : keyOf(r));
    return {
      tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
      grid: { left: 220, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value' as const, name: 'revenue' },
      yAxis: { type: 'category' as const, data: top.map(name), axisLabel: { width: 200, overflow: 'truncate' as const } },
      series: [{ name: 'Revenue', type: 'bar' as const, barMaxWidth: 36, data: top.map((r) => +r.revenue.toFixed(2)), itemStyle: { color: '#2f6fde' } }],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sales.data, time, range?.from, range?.to]);

  const columns: Column<SalesRow>[] = [
    { key: by, label },
    ...(by === 'product' ? [{ key: 'name', label: 'Name' }] : []),
    { key: 'revenue', label: 'Revenue', numeric: true, render: (r) => amount(r.revenue) },
    { key: 'quantity', label: 'Quantity', numeric: true, render: (r) => count(r.quantity) },
    { key: 'orders', label: 'Orders', numeric: true, render: (r) => count(r.orders) },
    { key: 'customers', label: 'Customers', numeric: true, render: (r) => count(r.customers) },
  ];
  const total = rows.reduce((sum, r) => sum + r.revenue, 0);

  return (
    <>
      <h1>Sales</h1>
      <RangePicker state={rangeState} />
      <div className="card">
        <div className="row">
          <label htmlFor="sales-by">By</label>
          <select id="sales-by" value={by} onChange={(e) => setBy(e.target.value as By)} {...invalid(sales.error, 'by', 'sales-by-error')}>
            {DIMENSIONS.map((d) => <option key={d.by} value={d.by}>{d.label}</option>)}
          </select>
          <FieldError error={sales.error} pointer="by" id="sales-by-error" />
          {!time && (
            <>
              <label htmlFor="sales-limit">Top</label>
              <select id="sales-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}
                {...invalid(sales.error, 'limit', 'sales-limit-error')}>
                {[20, 100, 500, 1000].map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
              <FieldError error={sales.error} pointer="limit" id="sales-limit-error" />
            </>
          )}
          {range && <Downloads path={`/v1/analytics/sales?${query}`} filename={`sales-by-${by}-${range.from}-${range.to}`}
            report={{ question: { kind: 'sales', parameters: { by, limit: time ? undefined : limit } }, range, lastDataDay: rangeState.span?.last }} />}
        </div>
        <Status loading={sales.loading} error={sales.error} empty={!sales.loading && !sales.error && rows.length === 0}
          emptyText="No purchases with product lines in this range." />
        {rows.length > 0 && !sales.loading && (
          <>
            <p className="muted">{rows.length} {label.toLowerCase()} rows{time ? '' : ` (the top ${limit} by revenue)`} · revenue {amount(total)}</p>
            <Chart option={option} height={time ? 300 : 380} label={`Revenue by ${label.toLowerCase()}`} />
            <DataTable key={by} label={`Sales by ${label.toLowerCase()}`} columns={columns} rows={rows} rowKey={keyOf}
              initialSort={time ? { key: by, descending: false } : { key: 'revenue', descending: true }} />
          </>
        )}
      </div>
    </>
  );
}
