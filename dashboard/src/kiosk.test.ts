import { describe, expect, it } from 'vitest';
import { hourZoneMatrix, KioskRow } from './kiosk';

const row = (zone: string, screen: string, hourOfDay: number, impressions: number, clicks: number, visits: number, dwellSeconds: number): KioskRow => ({
  zone, screen, hourOfDay, impressions, clicks, visits, dwellSeconds,
  clickThroughRate: impressions ? clicks / impressions : null, averageDwellSeconds: visits ? dwellSeconds / visits : null,
});

describe('the kiosk heat map', () => {
  const rows = [row('entrance', 's1', 10, 3, 1, 2, 80), row('entrance', 's3', 10, 1, 1, 0, 0), row('checkout', 's2', 11, 1, 0, 0, 0)];

  it('sums a zone over its screens per hour of day, busiest zone first', () => {
    const matrix = hourZoneMatrix(rows, 'impressions');
    expect(matrix.zones).toEqual(['entrance', 'checkout']);
    expect(matrix.hours[10]).toBe('10:00');
    expect(matrix.cells).toHaveLength(48);
    expect(matrix.cells).toContainEqual([10, 0, 4]);
    expect(matrix.cells).toContainEqual([11, 1, 1]);
    expect(matrix.cells).toContainEqual([9, 0, 0]);
  });

  it('computes rates from the sums and leaves hours without a denominator out', () => {
    const ctr = hourZoneMatrix(rows, 'clickThroughRate');
    expect(ctr.cells).toEqual([[10, 0, 50], [11, 1, 0]]);
    expect(hourZoneMatrix(rows, 'averageDwellSeconds').cells).toEqual([[10, 0, 40]]);
  });
});
