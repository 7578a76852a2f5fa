import { describe, expect, it } from 'vitest';
import { anchorDay, buckets, fillBuckets, presetRange, rangeDays, rangeProblem, rangeQuery } from './range';

const SAMPLE = { first: '2010-12-01T08:26:00Z', last: '2011-12-09T12:50:00Z', profiles: 4372 };

describe('the analytics date range', () => {
  it('counts presets back from the last day of the workspace data, not from today', () => {
    const anchor = anchorDay(SAMPLE, new Date('2026-12-01T10:00:00Z'));
    expect(anchor).toBe('2011-12-09');
    expect(presetRange('30d', anchor)).toEqual({ preset: '30d', from: '2011-11-10', to: '2011-12-09' });
    expect(rangeDays(presetRange('30d', anchor))).toBe(30);
    expect(presetRange('7d', anchor)).toEqual({ preset: '7d', from: '2011-12-03', to: '2011-12-09' });
    expect(rangeDays(presetRange('90d', anchor))).toBe(90);
    expect(presetRange('year', anchor)).toEqual({ preset: 'year', from: '2011-01-01', to: '2011-12-09' });
    expect(rangeQuery(presetRange('30d', anchor))).toBe('from=2011-11-10&to=2011-12-09');
  });

  it('falls back to today in a workspace without data', () => {
    expect(anchorDay({ first: null, last: null, profiles: 0 }, new Date('2026-12-01T23:59:00Z'))).toBe('2026-12-01');
    expect(presetRange('7d', '2024-03-02').from).toBe('2024-02-25'); // across a leap day
  });

  it('says what is wrong with a custom range', () => {
    expect(rangeProblem('2011-01-01', '2011-12-09')).toBeUndefined();
    expect(rangeProblem('2011-12-10', '2011-12-09')).toBe('The start is after the end.');
    expect(rangeProblem('', '2011-12-09')).toBe('Both dates are needed.');
    expect(rangeProblem('2000-01-01', '2011-12-09')).toBe('A range spans at most 10 years.');
  });
});

describe('buckets of a series', () => {
  it('starts days, Monday weeks and months as the API does', () => {
    expect(buckets('2025-06-28', '2025-07-02', 'day')).toEqual(['2025-06-28', '2025-06-29', '2025-06-30', '2025-07-01', '2025-07-02']);
    expect(buckets('2025-06-01', '2025-06-30', 'week')).toEqual(['2025-05-26', '2025-06-02', '2025-06-09', '2025-06-16', '2025-06-23', '2025-06-30']);
    expect(buckets('2011-01-15', '2011-03-01', 'month')).toEqual(['2011-01-01', '2011-02-01', '2011-03-01']);
  });

  it('fills the buckets the API leaves out with zeros', () => {
    const series = [{ at: '2025-06-10T00:00:00Z', orders: 1 }, { at: '2025-06-12T00:00:00Z', orders: 2 }];
    expect(fillBuckets(series, (p) => p.at, { from: '2025-06-10', to: '2025-06-13' }, 'day', (at) => ({ at, orders: 0 })))
      .toEqual([series[0], { at: '2025-06-11', orders: 0 }, series[1], { at: '2025-06-13', orders: 0 }]);
  });
});
