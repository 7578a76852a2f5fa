// How the analytics views write numbers: amounts with two decimals, counts with separators,
// shares as percentages, relative changes with their direction, durations in the largest unit.

export function amount(value: number): string {
  return value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function count(value: number): string {
  return value.toLocaleString(undefined, { maximumFractionDigits: 1 });
}

/** A share (0.25) as a percentage ("25.0%"); null (not known) as an empty string. */
export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? '' : `${(100 * share).toFixed(digits)}%`;
}

export interface Change { text: string; direction: 'up' | 'down' | 'flat' | 'none' }

/** A relative change from the API (0.12 = +12 %); null means the previous period had none. */
export function change(relative: number | null | undefined): Change {
  if (relative === null || relative === undefined) return { text: 'no previous data', direction: 'none' };
  if (Math.abs(relative) < 0.0005) return { text: '±0.0%', direction: 'flat' };
  return { text: `${relative > 0 ? '+' : '−'}${Math.abs(100 * relative).toFixed(1)}%`, direction: relative > 0 ? 'up' : 'down' };
}

/** Seconds as "45 s", "3.5 min", "2.0 h" or "1.5 d"; null as "—". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
