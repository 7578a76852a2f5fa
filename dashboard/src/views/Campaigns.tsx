import { useMemo, useState } from 'react';
import { get } from '../api';
import { CampaignRow, campaignLabel, campaignTotals, chartRows } from '../campaigns';
import { amount, count, percent } from '../format';
import { rangeQuery } from '../range';
import { Chart, Column, DataTable, Downloads, FieldError, invalid, Status, useLoad } from '../ui';
import { RangePicker, useRange } from './Range';

const ratio = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(2)}×`);
const money = (n: number | null | undefined) => (n === null || n === undefined ? '—' : amount(n));
const whole = (n: number | null | undefined) => (n === null || n === undefined ? '—' : count(n));

/**
 * Campaigns: what the ad platforms say was spent, shown, clicked and converted, next to the
 * orders, revenue and new customers Lodestar attributes by last touch, per channel and campaign.
 */
export function Campaigns() {
  const rangeState = useRange();
  const { range } = rangeState;
  const [by, setBy] = useState<'campaign' | 'channel'>('campaign');
  const [lookback, setLookback] = useState(30);
  const base = range ? `${rangeQuery(range)}&lookbackDays=${lookback}` : '';
  const rowsOf = (which: string) => () => (range ? get<{ rows: CampaignRow[] }>(`/v1/analytics/campaigns?${base}&by=${which}`) : Promise.resolve(undefined));
  const table = useLoad(rowsOf(by), [base, by]);
  const channels = useLoad(rowsOf('channel'), [base]);
  const rows = table.data?.rows ?? [];
  const totals = useMemo(() => campaignTotals(channels.data?.rows ?? []), [channels.data]);
  const byCampaign = by === 'campaign';

  const spendVsRevenue = useMemo(() => {
    const shown = chartRows(rows).reverse();
    return {
      tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
      legend: { bottom: 0 },
      grid: { left: 230, right: 30, top: 10, bottom: 50 },
      xAxis: { type: 'value' as const },
      yAxis: { type: 'category' as const, data: shown.map((r) => campaignLabel(r, byCampaign)), axisLabel: { width: 210, overflow: 'truncate' as const } },
      series: [
        { name: 'Spend', type: 'bar' as const, barMaxWidth: 18, data: shown.map((r) => +(r.spend ?? 0).toFixed(2)), itemStyle: { color: '#e8833a' } },
        { name: 'Attributed revenue', type: 'bar' as const, barMaxWidth: 18, data: shown.map((r) => +r.revenue.toFixed(2)), itemStyle: { color: '#2f6fde' } },
      ],
    };
  }, [rows, byCampaign]);
  const roasByChannel = useMemo(() => {
    const paid = (channels.data?.rows ?? []).filter((r) => r.roas !== null);
    return {
      tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
      grid: { left: 110, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value' as const, name: 'ROAS' },
      yAxis: { type: 'category' as const, data: paid.map((r) => r.channel) },
      series: [{
        name: 'ROAS', type: 'bar' as const, barMaxWidth: 24, data: paid.map((r) => +(r.roas ?? 0).toFixed(3)),
        itemStyle: { color: '#36a38b' }, label: { show: true, position: 'right' as const, formatter: '{c}×' },
      }],
    };
  }, [channels.data]);

  const columns: Column<CampaignRow>[] = [
    { key: 'channel', label: 'Channel' },
    ...(byCampaign ? [{ key: 'campaign', label: 'Campaign', render: (r: CampaignRow) => r.campaign ?? <span className="muted">(no campaign)</span> }] : []),
    { key: 'spend', label: 'Spend', numeric: true, render: (r) => (r.spend === null ? '—' : `${amount(r.spend)} ${r.currency ?? ''}`) },
    { key: 'impressions', label: 'Impressions', numeric: true, render: (r) => whole(r.impressions) },
    { key: 'clicks', label: 'Clicks', numeric: true, render: (r) => whole(r.clicks) },
    { key: 'platformConversions', label: 'Platform conv.', numeric: true, render: (r) => whole(r.platformConversions) },
    { key: 'orders', label: 'Orders', numeric: true, render: (r) => count(r.orders) },
    { key: 'revenue', label: 'Revenue', numeric: true, render: (r) => amount(r.revenue) },
    { key: 'roas', label: 'ROAS', numeric: true, render: (r) => ratio(r.roas) },
    { key: 'customersAcquired', label: 'New customers', numeric: true, render: (r) => count(r.customersAcquired) },
    { key: 'cac', label: 'CAC', numeric: true, render: (r) => money(r.cac) },
    { key: 'averageLtv', label: 'Avg LTV', numeric: true, render: (r) => money(r.averageLtv) },
  ];

  return (
    <>
      <h1>Campaigns</h1>
      <RangePicker state={rangeState} />
      <div className="card">
        <div className="row">
          <label htmlFor="campaigns-by">By</label>
          <select id="campaigns-by" value={by} onChange={(e) => setBy(e.target.value as 'campaign' | 'channel')}>
            <option value="campaign">campaign</option>
            <option value="channel">channel</option>
          </select>
          <label htmlFor="campaigns-lookback">Last touch within</label>
          <select id="campaigns-lookback" value={lookback} onChange={(e) => setLookback(Number(e.target.value))}
            {...invalid(table.error, 'lookbackDays', 'campaigns-lookback-error')}>
            {[1, 7, 14, 30, 60, 90].map((d) => <option key={d} value={d}>{d} days</option>)}
          </select>
          <span className="muted">before the purchase</span>
          <FieldError error={table.error} pointer="lookbackDays" id="campaigns-lookback-error" />
          {range && <Downloads path={`/v1/analytics/campaigns?${base}&by=${by}`} filename={`campaigns-by-${by}-${range.from}-${range.to}`}
            report={{ question: { kind: 'campaigns', parameters: { by, lookbackDays: lookback } }, range, lastDataDay: rangeState.span?.last }} />}
        </div>
        <Status loading={table.loading} error={table.error}
          empty={!table.loading && !table.error && rows.length === 0}
          emptyText="No ad spend and no attributed purchase in this range: connect Meta Ads or Google Ads in Pipelines, and send utm parameters (or ad click ids) with your events." />
      </div>
      {rows.length > 0 && !table.loading && (
        <>
          <div className="kpis compact">
            <Figure label="Spend" value={`${amount(totals.spend)}${totals.currency ? ` ${totals.currency}` : ''}`} />
            <Figure label="Attributed revenue" value={amount(totals.revenue)} note={`${count(totals.orders)} orders`} />
            <Figure label="ROAS" value={ratio(totals.roas)} note="revenue of paid campaigns / spend" />
            <Figure label="New customers" value={count(totals.customersAcquired)} note={`CAC ${money(totals.cac)}`} />
            <Figure label="Click-through" value={percent(totals.clickThroughRate) || '—'} note={`${whole(totals.clicks)} clicks`} />
            <Figure label="Avg LTV of new customers" value={money(totals.averageLtv)} note="predicted next 365 days" />
          </div>
          <div className="grid">
            <div className="card">
              <h2>Spend and attributed revenue</h2>
              <Chart option={spendVsRevenue} height={Math.max(200, 44 * Math.min(rows.length, 12) + 70)} label={`Spend and attributed revenue by ${by}`} />
            </div>
            <div className="card">
              <h2>ROAS by channel</h2>
              <Status loading={channels.loading} error={channels.error}
                empty={!channels.loading && (channels.data?.rows ?? []).every((r) => r.roas === null)} emptyText="No channel with spend in this range." />
              {(channels.data?.rows ?? []).some((r) => r.roas !== null) && (
                <Chart option={roasByChannel} height={Math.max(160, 40 * (channels.data?.rows.length ?? 1) + 50)} label="ROAS by channel" />
              )}
            </div>
          </div>
          <div className="card">
            <DataTable key={by} label={`Campaigns by ${by}`} columns={columns} rows={rows}
              rowKey={(r, i) => `${r.channel}/${r.campaign ?? ''}/${i}`} initialSort={{ key: 'spend', descending: true }} />
            <p className="muted">Revenue, orders and new customers by last touch: each purchase goes to the profile’s latest campaign touch within
              the look-back; a customer is acquired by the last touch before their first purchase. Rows without spend were not paid for
              (a newsletter, an ad click without campaign parameters). Platform conversions are the ad platform’s own count.</p>
          </div>
        </>
      )}
    </>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="card kpi-card" role="group" aria-label={label}>
      <div className="kpi-label">{label}</div>
      <div className="kpi" data-kpi={label}>{value}</div>
      {note && <div className="muted">{note}</div>}
    </div>
  );
}
