// Retention cohorts (`GET /v1/analytics/retention`) as a heat map. A period that has not ended by
// the workspace's latest event comes back as null: it is unknown, so it is drawn blank, never as 0.

export interface Cohort { start: string; size: number; retained: (number | null)[]; rates: (number | null)[] }
export interface RetentionResult {
  cohort: 'first-seen' | 'first-purchase'; period: 'day' | 'week' | 'month'; event: string | null;
  periods: number; observedUntil: string | null; cohorts: Cohort[];
}

/** A cohort's name: its first day (day, week) or its month. */
export function cohortLabel(start: string, period: RetentionResult['period']): string {
  return period === 'month' ? start.slice(0, 7) : start.slice(0, 10);
}

/**
 * The heat map's cells `[period, cohort row, rate in %, profiles]`, one per known period; the
 * unfinished (null) periods have no cell. A row's index counts from the newest cohort at the top.
 */
export function heatmapCells(result: RetentionResult): [number, number, number, number][] {
  const cells: [number, number, number, number][] = [];
  const rows = result.cohorts.length;
  result.cohorts.forEach((cohort, i) => {
    cohort.rates.forEach((rate, n) => {
      const retained = cohort.retained[n];
      if (rate !== null && rate !== undefined && retained !== null && retained !== undefined) {
        cells.push([n, rows - 1 - i, +(100 * rate).toFixed(1), retained]);
      }
    });
  });
  return cells;
}

/** The y axis, newest cohort at the top, matching the cells' rows. */
export function cohortAxis(result: RetentionResult): string[] {
  return result.cohorts.map((c) => `${cohortLabel(c.start, result.period)} (${c.size})`).reverse();
}

export function periodAxis(result: RetentionResult): string[] {
  return Array.from({ length: result.periods + 1 }, (_, n) => `${result.period} ${n}`);
}
