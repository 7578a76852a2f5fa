import { describe, expect, it } from 'vitest';
import { computedTraitRows } from './profile';

const base = { firstSeenAt: '2025-06-10T09:59:00Z', lastSeenAt: '2025-06-30T18:00:00Z', eventCount: 7, eventCountsByType: {}, trackEventCounts: {} };

describe('a profile\'s computed traits', () => {
  it('shows every trait a buyer has, in words', () => {
    const rows = computedTraitRows({
      ...base, sessions: 3, orders: 2, revenue: 1234.5, averageOrderValue: 617.25,
      firstPurchaseAt: '2025-06-10T10:06:00Z', lastPurchaseAt: '2025-06-20T08:00:00Z', daysSinceLastPurchase: 10,
      favouriteCategory: 'Lighting', favouriteBrand: 'Lumo',
      acquisition: { source: 'newsletter', medium: 'email', campaign: 'june-sale', channel: 'Email', acquiredAt: '2025-06-10T09:59:00Z' },
    });
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ['Sessions', '3'],
      ['Orders', '2'],
      ['Revenue', (1234.5).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })],
      ['Average order value', (617.25).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })],
      ['First purchase', '2025-06-10 10:06'],
      ['Last purchase', '2025-06-20 08:00 (10 days ago)'],
      ['Favourite category', 'Lighting'],
      ['Favourite brand', 'Lumo'],
      ['Acquisition channel', 'Email'],
      ['Acquisition source', 'newsletter'],
      ['Acquisition medium', 'email'],
      ['Acquisition campaign', 'june-sale'],
      ['Acquired', '2025-06-10 09:59'],
    ]);
  });

  it('hides what is absent or null, and keeps real zeros', () => {
    const visitor = computedTraitRows({
      ...base, sessions: 1, orders: 0, revenue: 0, averageOrderValue: null, firstPurchaseAt: null, lastPurchaseAt: null,
      daysSinceLastPurchase: null, favouriteCategory: null, favouriteBrand: null,
      acquisition: { source: 'google', medium: null, campaign: null, channel: 'Organic search', acquiredAt: null },
    });
    expect(visitor.map((r) => r.key)).toEqual(['sessions', 'orders', 'revenue', 'acquisition.channel', 'acquisition.source']);
    expect(visitor.find((r) => r.key === 'orders')?.value).toBe('0');
    expect(computedTraitRows(base)).toEqual([]);
    expect(computedTraitRows({ ...base, acquisition: null })).toEqual([]);
    expect(computedTraitRows(undefined)).toEqual([]);
  });

  it('says how long ago the last purchase was', () => {
    const last = (daysSinceLastPurchase: number) => computedTraitRows({ ...base, lastPurchaseAt: '2025-06-30T18:00:00Z', daysSinceLastPurchase })[0].value;
    expect(last(0)).toBe('2025-06-30 18:00 (today)');
    expect(last(1)).toBe('2025-06-30 18:00 (1 day ago)');
    expect(computedTraitRows({ ...base, daysSinceLastPurchase: 40 })).toEqual([{ key: 'lastPurchaseAt', label: 'Last purchase', value: '40 days ago' }]);
  });
});
