// Kiosk zones (`GET /v1/analytics/kiosk`): rows per zone, screen and bucket. The heat map is
// hour of day × zone, summed over a zone's screens.

export interface KioskRow {
  zone: string; screen: string; day?: string; hour?: string; hourOfDay?: number;
  impressions: number; clicks: number; clickThroughRate: number | null;
  visits: number; dwellSeconds: number; averageDwellSeconds: number | null;
}

export type KioskMetric = 'impressions' | 'clicks' | 'clickThroughRate' | 'visits' | 'dwellSeconds' | 'averageDwellSeconds';

export const KIOSK_METRICS: { metric: KioskMetric; label: string }[] = [
  { metric: 'impressions', label: 'Impressions' },
  { metric: 'clicks', label: 'Clicks' },
  { metric: 'clickThroughRate', label: 'Click-through rate' },
  { metric: 'visits', label: 'Visits' },
  { metric: 'dwellSeconds', label: 'Dwell time (s)' },
  { metric: 'averageDwellSeconds', label: 'Average dwell (s)' },
];

interface Sums { impressions: number; clicks: number; visits: number; dwellSeconds: number }

function value(sums: Sums, metric: KioskMetric): number | null {
  switch (metric) {
    case 'clickThroughRate': return sums.impressions === 0 ? null : sums.clicks / sums.impressions;
    case 'averageDwellSeconds': return sums.visits === 0 ? null : sums.dwellSeconds / sums.visits;
    default: return sums[metric];
  }
}

/**
 * The heat map of `by=hourOfDay` rows: zones (by impressions, largest first), hours 0-23, and
 * `[hour, zone index, value]` cells. An hour without events is 0 for counts; a rate or average
 * without a denominator has no cell.
 */
export function hourZoneMatrix(rows: KioskRow[], metric: KioskMetric) {
  const sums = new Map<string, Sums[]>();
  for (const row of rows) {
    const hours = sums.get(row.zone) ?? Array.from({ length: 24 }, () => ({ impressions: 0, clicks: 0, visits: 0, dwellSeconds: 0 }));
    const cell = hours[row.hourOfDay ?? 0];
    cell.impressions += row.impressions;
    cell.clicks += row.clicks;
    cell.visits += row.visits;
    cell.dwellSeconds += row.dwellSeconds;
    sums.set(row.zone, hours);
  }
  const total = (zone: string) => sums.get(zone)!.reduce((n, c) => n + c.impressions, 0);
  const zones = [...sums.keys()].sort((a, b) => total(b) - total(a) || a.localeCompare(b));
  const cells: [number, number, number][] = [];
  zones.forEach((zone, z) => sums.get(zone)!.forEach((cell, hour) => {
    const v = value(cell, metric);
    if (v !== null) cells.push([hour, z, metric === 'clickThroughRate' ? +(100 * v).toFixed(1) : +v.toFixed(1)]);
  }));
  return { zones, hours: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`), cells };
}
