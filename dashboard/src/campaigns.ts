// Campaign economics (`GET /v1/analytics/campaigns`): the ad platforms' spend next to the
// orders, revenue and customers Lodestar attributes by last touch. Rows without spend (a
// newsletter, an ad click without campaign parameters) are attributed revenue nobody paid for:
// they count in the revenue, never in ROAS or CAC.

export interface CampaignRow {
  channel: string; campaign?: string | null; spend: number | null; currency: string | null; impressions: number | null;
  clicks: number | null; platformConversions: number | null; platformConversionValue: number | null; orders: number;
  revenue: number; roas: number | null; customersAcquired: number; cac: number | null; averageLtv: number | null;
  acquiredLtv: number | null;
}

export interface CampaignTotals {
  spend: number; currency: string | null; impressions: number; clicks: number; orders: number; revenue: number;
  /** Revenue of the rows that have spend: what ROAS is made of. */
  paidRevenue: number; roas: number | null; customersAcquired: number; paidCustomers: number; cac: number | null;
  /** The acquired customers' average predicted 365-day value (those with a prediction). */
  averageLtv: number | null; clickThroughRate: number | null;
}

/** The range's totals; ROAS and CAC over the rows with spend only. */
export function campaignTotals(rows: CampaignRow[]): CampaignTotals {
  let spend = 0; let impressions = 0; let clicks = 0; let orders = 0; let revenue = 0; let paidRevenue = 0;
  let customers = 0; let paidCustomers = 0; let ltvTotal = 0; let ltvCustomers = 0;
  const currencies = new Set<string>();
  for (const row of rows) {
    orders += row.orders;
    revenue += row.revenue;
    customers += row.customersAcquired;
    if (row.acquiredLtv !== null && row.averageLtv !== null && row.averageLtv !== 0) {
      ltvTotal += row.acquiredLtv;
      ltvCustomers += row.acquiredLtv / row.averageLtv;
    }
    if (row.spend !== null) {
      spend += row.spend;
      paidRevenue += row.revenue;
      paidCustomers += row.customersAcquired;
      if (row.currency) currencies.add(row.currency);
    }
    impressions += row.impressions ?? 0;
    clicks += row.clicks ?? 0;
  }
  return {
    spend, currency: currencies.size === 1 ? [...currencies][0] : currencies.size > 1 ? '(mixed)' : null,
    impressions, clicks, orders, revenue, paidRevenue,
    roas: spend > 0 ? paidRevenue / spend : null,
    customersAcquired: customers, paidCustomers,
    cac: spend > 0 && paidCustomers > 0 ? spend / paidCustomers : null,
    averageLtv: ltvCustomers > 0 ? ltvTotal / Math.round(ltvCustomers) : null,
    clickThroughRate: impressions > 0 ? clicks / impressions : null,
  };
}

/** A row's name on a chart or in a table: the channel, and the campaign when split by campaign. */
export function campaignLabel(row: CampaignRow, byCampaign: boolean): string {
  if (!byCampaign) return row.channel;
  return `${row.campaign ?? '(no campaign)'} · ${row.channel}`;
}

/** The rows worth a bar: the largest by spend and revenue, at most `limit`. */
export function chartRows(rows: CampaignRow[], limit = 12): CampaignRow[] {
  return [...rows].sort((a, b) => Math.max(b.spend ?? 0, b.revenue) - Math.max(a.spend ?? 0, a.revenue)).slice(0, limit);
}
