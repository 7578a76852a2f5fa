import { describe, expect, it } from 'vitest';
import {
  addExclusion, addFilter, addStep, filterValue, formatWindow, funnelRequest, moveStep, newFunnel, parseBreakdown,
  parseFunnel, parseWindow, removeExclusion, removeFilter, removeStep, updateExclusion, updateFilter, updateStep,
  windowText, withBreakdown, withOp, withType,
} from './funnel';

// requests as the API documents and tests them (profile-service README, AnalyticsIT)
const REQUESTS = [
  {
    steps: [{ event: 'Product Viewed' }, { type: 'page', filters: [{ property: 'path', op: 'eq', value: '/checkout' }] },
      { event: 'Order Completed' }],
    window: 'P7D', from: '2011-01-01', to: '2011-12-31',
    exclusions: [{ event: 'Cart Emptied', afterStep: 2, beforeStep: 3 }],
    breakdown: 'traits.country',
  },
  {
    steps: [
      { event: 'Product Viewed', filters: [{ property: 'product_id', op: 'eq', value: 'p2' }, { property: 'price', op: 'gte', value: 40 }] },
      { type: 'screen', filters: [{ property: 'name', op: 'in', value: ['Cart', 'Basket', 3, true] }] },
      { type: 'track', event: 'Order Completed', filters: [{ property: 'coupon', op: 'exists' }, { property: 'shipping.country', op: 'neq', value: 'UK' }] },
    ],
    window: 'PT2H', from: '2026-03-01', to: '2026-03-31',
    exclusions: [
      { type: 'page', filters: [{ property: 'path', op: 'startsWith', value: '/help' }], afterStep: 1, beforeStep: 3 },
      { event: 'Cart Emptied', filters: [{ property: 'reason', op: 'missing' }], afterStep: 2 },
    ],
    breakdown: 'properties.utm.source',
  },
  { steps: [{ event: 'A' }, { event: 'B' }] },
];

describe('the funnel builder model', () => {
  it('round-trips the requests the API takes exactly, filters, exclusions and breakdown included', () => {
    for (const request of REQUESTS) {
      const range = 'from' in request ? { from: request.from as string, to: request.to as string } : undefined;
      const again = funnelRequest(parseFunnel(request), range);
      expect(again).toEqual(request);
      expect(JSON.stringify(again)).toBe(JSON.stringify(request));
    }
  });

  it('builds the request a marketer clicks together, in the API key order', () => {
    let funnel = newFunnel();
    funnel = addStep(funnel, { event: 'Checkout Started' });
    funnel = moveStep(funnel, 2, -1); // Checkout Started before Order Completed
    funnel = updateStep(funnel, 0, addFilter(funnel.steps[0], { property: 'category', op: 'eq', value: '' }));
    funnel = updateStep(funnel, 0, updateFilter(funnel.steps[0], 0, { property: 'category', op: 'eq', value: filterValue('eq', 'Shoes') }));
    funnel = updateStep(funnel, 0, addFilter(funnel.steps[0]));
    funnel = updateStep(funnel, 0, updateFilter(funnel.steps[0], 1, withOp({ property: 'price', op: 'eq', value: '' }, 'gt')));
    funnel = updateStep(funnel, 0, updateFilter(funnel.steps[0], 1, { property: 'price', op: 'gt', value: filterValue('gt', '19.5') }));
    funnel = addStep(funnel, withType({ event: '' }, 'page'));
    funnel = updateStep(funnel, 3, addFilter(funnel.steps[3], { property: 'path', op: 'contains', value: filterValue('contains', '007') }));
    funnel = moveStep(funnel, 3, -1);
    funnel = { ...funnel, window: formatWindow(3, 'days') };
    funnel = addExclusion(funnel);
    funnel = updateExclusion(funnel, 0, { event: 'Cart Emptied', afterStep: 2, beforeStep: 4 });
    funnel = addExclusion(funnel);
    funnel = removeExclusion(funnel, 1);
    funnel = withBreakdown(funnel, 'traits', 'country');

    expect(JSON.stringify(funnelRequest(funnel, { from: '2011-11-10', to: '2011-12-09' }))).toBe(JSON.stringify({
      steps: [
        { event: 'Product Viewed', filters: [{ property: 'category', op: 'eq', value: 'Shoes' }, { property: 'price', op: 'gt', value: 19.5 }] },
        { event: 'Checkout Started' },
        { type: 'page', filters: [{ property: 'path', op: 'contains', value: '007' }] },
        { event: 'Order Completed' },
      ],
      window: 'P3D',
      from: '2011-11-10',
      to: '2011-12-09',
      exclusions: [{ event: 'Cart Emptied', afterStep: 2, beforeStep: 4 }],
      breakdown: 'traits.country',
    }));
  });

  it('leaves out what was removed, and keeps exclusions between steps that exist', () => {
    let funnel = parseFunnel(REQUESTS[0]);
    funnel = updateStep(funnel, 1, removeFilter(funnel.steps[1], 0));
    funnel = withBreakdown(funnel, 'none', '');
    funnel = removeStep(funnel, 2); // the exclusion was between steps 2 and 3: now 1 and 2
    expect(funnelRequest(funnel)).toEqual({
      steps: [{ event: 'Product Viewed' }, { type: 'page' }],
      window: 'P7D',
      exclusions: [{ event: 'Cart Emptied', afterStep: 1, beforeStep: 2 }],
    });
    expect(removeStep(funnel, 0)).toBe(funnel); // a funnel keeps two steps
    expect(funnelRequest(removeExclusion(funnel, 0))).not.toHaveProperty('exclusions');
  });

  it('switches a step between events and views as the API wants them', () => {
    expect(withType({ event: 'Product Viewed', filters: [{ property: 'a', op: 'exists' }] }, 'page'))
      .toEqual({ type: 'page', filters: [{ property: 'a', op: 'exists' }] });
    expect(withType({ type: 'page' }, 'track')).toEqual({ event: '' });
    expect(() => parseFunnel({ steps: [{ type: 'email' }] })).toThrow('unknown step type: email');
  });

  it('turns what is typed into the value each operator takes', () => {
    expect(filterValue('eq', '42')).toBe(42);
    expect(filterValue('eq', 'true')).toBe(true);
    expect(filterValue('eq', 'GBP')).toBe('GBP');
    expect(filterValue('in', 'a, b,, 3')).toEqual(['a', 'b', 3]);
    expect(filterValue('gte', ' 40 ')).toBe(40);
    expect(filterValue('gt', 'ten')).toBe('ten'); // the server points at the value
    expect(filterValue('contains', '42')).toBe('42');
    expect(filterValue('exists', 'x')).toBeUndefined();
    expect(withOp({ property: 'p', op: 'in', value: ['a', 'b'] }, 'exists')).toEqual({ property: 'p', op: 'exists' });
    expect(withOp({ property: 'p', op: 'eq', value: 40 }, 'in')).toEqual({ property: 'p', op: 'in', value: [40] });
  });

  it('reads and writes conversion windows and breakdowns', () => {
    expect(parseWindow('P7D')).toEqual({ amount: 7, unit: 'days' });
    expect(parseWindow('PT2H')).toEqual({ amount: 2, unit: 'hours' });
    expect(parseWindow('PT30M')).toEqual({ amount: 30, unit: 'minutes' });
    expect(parseWindow('P1DT12H')).toBeNull();
    expect(parseWindow(undefined)).toEqual({ amount: 7, unit: 'days' });
    expect(formatWindow(90, 'minutes')).toBe('PT90M');
    expect(formatWindow(0, 'days')).toBe('P1D');
    expect(windowText('P1D')).toBe('1 day');
    expect(windowText('PT48H')).toBe('48 hours');
    expect(parseBreakdown('properties.utm.source')).toEqual({ kind: 'properties', key: 'utm.source' });
    expect(parseBreakdown(undefined)).toEqual({ kind: 'none', key: '' });
  });
});
