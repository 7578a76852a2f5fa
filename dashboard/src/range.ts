// The analytics views' date range: whole UTC days, both ends included, as the API takes them
// (`from=2011-11-10&to=2011-12-09`). Presets count back from the last day of the workspace's
// data (`GET /v1/analytics/span`), not from today: a workspace whose data ends in 2011 opens on
// its last 30 days, not on an empty month.

export type Preset = '7d' | '30d' | '90d' | 'year' | 'custom';

export interface DateRange { preset: Preset; from: string; to: string }

export interface Span { first: string | null; last: string | null; profiles: number }

export const PRESETS: { preset: Preset; label: string }[] = [
  { preset: '7d', label: 'Last 7 days' },
  { preset: '30d', label: 'Last 30 days' },
  { preset: '90d', label: 'Last 90 days' },
  { preset: 'year', label: 'This year' },
  { preset: 'custom', label: 'Custom' },
];

const DAY = 86_400_000;

/** An instant's UTC date, `2011-12-09`. */
export function isoDate(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY));
}

/** The day presets count back from: the workspace's last event, or today when it has none. */
export function anchorDay(span: Span | undefined, today: Date = new Date()): string {
  return span?.last ? isoDate(span.last) : isoDate(today);
}

/** A preset's range ending on `anchor` ("this year" is the anchor's calendar year up to it). */
export function presetRange(preset: Exclude<Preset, 'custom'>, anchor: string): DateRange {
  switch (preset) {
    case '7d': return { preset, from: addDays(anchor, -6), to: anchor };
    case '30d': return { preset, from: addDays(anchor, -29), to: anchor };
    case '90d': return { preset, from: addDays(anchor, -89), to: anchor };
    case 'year': return { preset, from: `${anchor.slice(0, 4)}-01-01`, to: anchor };
  }
}

/** What is wrong with a custom range, or undefined when the API will take it. */
export function rangeProblem(from: string, to: string): string | undefined {
  const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
  if (!valid(from) || !valid(to)) return 'Both dates are needed.';
  if (from > to) return 'The start is after the end.';
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 3659 * DAY) return 'A range spans at most 10 years.';
  return undefined;
}

/** Days in the range, both ends counted. */
export function rangeDays(range: { from: string; to: string }): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY) + 1;
}

/** The range as query parameters. */
export function rangeQuery(range: { from: string; to: string }): string {
  return `from=${range.from}&to=${range.to}`;
}

export type Interval = 'day' | 'week' | 'month';

/** The first day of every bucket from `from` to `to` (UTC; weeks start on Monday, as the API's buckets). */
export function buckets(from: string, to: string, interval: Interval): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (interval === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (interval === 'month') start.setUTCDate(1);
  const out: string[] = [];
  for (const at = start; isoDate(at) <= to; ) {
    out.push(isoDate(at));
    if (interval === 'day') at.setUTCDate(at.getUTCDate() + 1);
    else if (interval === 'week') at.setUTCDate(at.getUTCDate() + 7);
    else at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return out;
}

/**
 * A series with a row for every bucket of the range: the API leaves out buckets without events,
 * a chart over time shows them as the zeros they are.
 */
export function fillBuckets<T>(rows: T[], dateOf: (row: T) => string, range: { from: string; to: string }, interval: Interval,
  empty: (date: string) => T): T[] {
  const byDate = new Map(rows.map((row) => [dateOf(row).slice(0, 10), row]));
  return buckets(range.from, range.to, interval).map((date) => byDate.get(date) ?? empty(date));
}
