import { describe, expect, it } from 'vitest';
import { parseRule, toJson, valueFromInput, valueToInput } from './rule';

const RULES = [
  { type: 'trait', trait: 'country', op: 'in', value: ['Portugal', 'Spain'] },
  {
    type: 'and',
    conditions: [
      { type: 'trait', trait: 'address.city', op: 'startsWith', value: 'Lon' },
      { type: 'computed', field: 'lastSeenAt', op: 'withinLast', value: { amount: 30, unit: 'days' } },
      {
        type: 'or',
        conditions: [
          { type: 'event', event: 'Order Completed', count: { op: 'gte', value: 3 },
            window: { withinLast: { amount: 90, unit: 'days' } } },
          { type: 'event', event: 'Order Completed', where: [{ property: 'currency', op: 'eq', value: 'EUR' }],
            aggregate: { fn: 'sum', property: 'revenue', op: 'gt', value: 500 } },
        ],
      },
      { type: 'not', condition: { type: 'segment', segmentId: '6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a' } },
      { type: 'computed', field: 'ltv.predictedSpend365', op: 'between', value: [100, 1000] },
      { type: 'event', eventType: 'page', performed: false },
      { type: 'trait', trait: 'email', op: 'exists' },
    ],
  },
];

describe('the segment builder model', () => {
  it('round-trips every kind of rule exactly', () => {
    for (const rule of RULES) {
      expect(toJson(parseRule(rule))).toEqual(rule);
      expect(JSON.stringify(toJson(parseRule(rule)))).toBe(JSON.stringify(rule));
    }
  });

  it('refuses what it does not know instead of dropping it', () => {
    expect(() => parseRule({ type: 'xor', conditions: [] })).toThrow('unknown condition type: xor');
  });

  it('turns typed input into the JSON value the operator takes', () => {
    expect(valueFromInput('eq', '42')).toBe(42);
    expect(valueFromInput('eq', 'pro')).toBe('pro');
    expect(valueFromInput('eq', 'true')).toBe(true);
    expect(valueFromInput('in', 'a, b, 3')).toEqual(['a', 'b', 3]);
    expect(valueFromInput('withinLast', '30')).toEqual({ amount: 30, unit: 'days' });
    expect(valueFromInput('exists', 'x')).toBeUndefined();
    expect(valueToInput(['a', 3])).toBe('a, 3');
    expect(valueToInput({ amount: 30, unit: 'days' })).toBe('30');
  });
});
