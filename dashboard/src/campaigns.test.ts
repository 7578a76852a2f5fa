import { describe, expect, it } from 'vitest';
import { CampaignRow, campaignLabel, campaignTotals, chartRows } from './campaigns';

const row = (over: Partial<CampaignRow>): CampaignRow => ({
  channel: 'meta', campaign: null, spend: null, currency: null, impressions: null, clicks: null, platformConversions: null,
  platformConversionValue: null, orders: 0, revenue: 0, roas: null, customersAcquired: 0, cac: null, averageLtv: null, acquiredLtv: null, ...over,
});

// CampaignsIT's April by channel: Meta 150 spent, 80 back from P1 (LTV 200); Google Ads 30 spent, 40 from P2 (LTV 100) and 20
// from P4's ad click; the unpaid newsletter 60
const april = [
  row({ channel: 'meta', spend: 150, currency: 'EUR', impressions: 15000, clicks: 400, orders: 1, revenue: 80, roas: 80 / 150, customersAcquired: 1, cac: 150, averageLtv: 200, acquiredLtv: 200 }),
  row({ channel: 'google-ads', spend: 30, currency: 'EUR', impressions: 2000, clicks: 80, orders: 2, revenue: 60, roas: 2, customersAcquired: 1, cac: 30, averageLtv: 100, acquiredLtv: 100 }),
  row({ channel: 'newsletter', orders: 1, revenue: 60 }),
];

describe('campaign totals', () => {
  it('counts unpaid revenue in the revenue, never in ROAS or CAC', () => {
    const totals = campaignTotals(april);
    expect(totals).toMatchObject({ spend: 180, currency: 'EUR', orders: 4, revenue: 200, paidRevenue: 140, customersAcquired: 2, paidCustomers: 2 });
    expect(totals.roas).toBeCloseTo(140 / 180, 9);
    expect(totals.cac).toBe(90);
    expect(totals.averageLtv).toBe(150);
    expect(totals.clickThroughRate).toBeCloseTo(480 / 17000, 9);
  });

  it('has no ROAS or CAC without spend, and says when currencies differ', () => {
    expect(campaignTotals([row({ channel: 'newsletter', revenue: 60, orders: 1 })])).toMatchObject({ spend: 0, roas: null, cac: null, currency: null, averageLtv: null });
    expect(campaignTotals([row({ spend: 1, currency: 'EUR' }), row({ spend: 2, currency: 'GBP' })]).currency).toBe('(mixed)');
  });

  it('names rows and picks the largest for the chart', () => {
    expect(campaignLabel(row({ channel: 'meta', campaign: 'Spring Sale' }), true)).toBe('Spring Sale · meta');
    expect(campaignLabel(row({ channel: 'google-ads' }), true)).toBe('(no campaign) · google-ads');
    expect(campaignLabel(row({ channel: 'meta', campaign: 'x' }), false)).toBe('meta');
    // by the larger of spend and revenue; a tie keeps the API's order
    expect(chartRows(april, 2).map((r) => r.channel)).toEqual(['meta', 'google-ads']);
    expect(chartRows([row({ channel: 'small', spend: 5 }), row({ channel: 'unpaid', revenue: 90 })], 1).map((r) => r.channel)).toEqual(['unpaid']);
  });
});
