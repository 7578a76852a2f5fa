import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { cohortAxis, heatmapCells, RetentionResult } from './retention';
import { RetentionTable } from './views/Retention';

// AnalyticsIT's weekly first-seen cohorts: data until 03-30, so week 4 of the first cohort and
// weeks 3-4 of the second are not over yet
const RESULT: RetentionResult = {
  cohort: 'first-seen', period: 'week', event: null, periods: 4, observedUntil: '2026-03-30T10:00:00Z',
  cohorts: [
    { start: '2026-03-02T00:00:00Z', size: 4, retained: [4, 2, 1, 0, null], rates: [1, 0.5, 0.25, 0, null] },
    { start: '2026-03-09T00:00:00Z', size: 1, retained: [1, 0, 0, null, null], rates: [1, 0, 0, null, null] },
  ],
};

describe('the retention heat map', () => {
  it('has a cell for every known period, zero included, and none for unfinished ones', () => {
    const cells = heatmapCells(RESULT);
    // [period, row (newest cohort at the top, row 1 is the older), rate %, profiles]: 4 + 3 known periods
    expect(cells).toEqual([
      [0, 1, 100, 4], [1, 1, 50, 2], [2, 1, 25, 1], [3, 1, 0, 0],
      [0, 0, 100, 1], [1, 0, 0, 0], [2, 0, 0, 0],
    ]);
    expect(cells.some(([period, row]) => period === 4 && row === 1)).toBe(false);
    expect(cells.some(([period, row]) => period >= 3 && row === 0)).toBe(false);
    expect(cells.filter(([, , rate]) => rate === 0)).toHaveLength(3);
    expect(cohortAxis(RESULT)).toEqual(['2026-03-09 (1)', '2026-03-02 (4)']);
  });

  it('leaves unfinished periods blank in the table and shows real zeros', () => {
    const html = renderToStaticMarkup(<RetentionTable result={RESULT} />);
    const rows = html.split('<tr>').slice(2);
    expect(rows[0]).toContain('>2026-03-02<');
    expect(rows[0]).toContain('>100.0%<');
    expect(rows[0]).toContain('>0.0%<');
    expect(rows[0].match(/class="num unknown"/g)).toHaveLength(1);
    expect(rows[1].match(/class="num unknown"/g)).toHaveLength(2);
    expect(rows[1].match(/>0\.0%</g)).toHaveLength(2);
    expect(html).not.toContain('null');
    expect(html).not.toContain('NaN');
  });
});
