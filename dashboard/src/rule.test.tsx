import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
  COMPUTED_FIELDS, computedOperators, parseRule, profileIdsFromInput, toJson, valueFromInput, valueToInput, withComputedField,
} from './rule';
import { fieldId, reasonUnder, RuleBuilder } from './views/RuleBuilder';

const A = '0b5e3c1a-7d2f-4e8a-9c61-2f4d8e6a1b03';
const B = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

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
      { type: 'profiles', profileIds: [A, B] },
      { type: 'not', condition: { type: 'profiles', profileIds: [B] } },
    ],
  },
  { type: 'profiles', profileIds: [B, A] },
  {
    type: 'and',
    conditions: [
      { type: 'computed', field: 'sessions', op: 'gte', value: 3 },
      { type: 'computed', field: 'orders', op: 'between', value: [2, 5] },
      { type: 'computed', field: 'revenue', op: 'gt', value: 500.5 },
      { type: 'computed', field: 'averageOrderValue', op: 'lte', value: 40 },
      { type: 'computed', field: 'firstPurchaseAt', op: 'moreThanAgo', value: { amount: 1, unit: 'years' } },
      { type: 'computed', field: 'lastPurchaseAt', op: 'between', value: ['2025-06-01', '2025-06-30'] },
      { type: 'computed', field: 'lastPurchaseAt', op: 'missing' },
      { type: 'computed', field: 'favouriteCategory', op: 'in', value: ['Lighting', 'Textiles'] },
      { type: 'computed', field: 'favouriteBrand', op: 'eq', value: 'Lumo' },
      { type: 'computed', field: 'acquisition.source', op: 'startsWith', value: 'goo' },
      { type: 'computed', field: 'acquisition.medium', op: 'eq', value: 'cpc' },
      { type: 'computed', field: 'acquisition.campaign', op: 'contains', value: 'june' },
      { type: 'computed', field: 'acquisition.channel', op: 'neq', value: 'Direct' },
      { type: 'not', condition: { type: 'computed', field: 'acquisition.channel', op: 'exists' } },
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

  it('offers the computed fields with the operators of their type', () => {
    expect(COMPUTED_FIELDS).toEqual(expect.arrayContaining(['sessions', 'orders', 'revenue', 'averageOrderValue', 'firstPurchaseAt',
      'lastPurchaseAt', 'favouriteCategory', 'favouriteBrand', 'acquisition.source', 'acquisition.medium', 'acquisition.campaign',
      'acquisition.channel']));
    expect(COMPUTED_FIELDS).not.toContain('daysSinceLastPurchase');
    for (const field of ['sessions', 'orders', 'revenue', 'averageOrderValue', 'eventCount']) {
      expect(computedOperators(field)).toEqual(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'missing']);
    }
    for (const field of ['firstPurchaseAt', 'lastPurchaseAt', 'firstSeenAt', 'lastSeenAt']) {
      expect(computedOperators(field)).toEqual(computedOperators('lastSeenAt'));
      expect(computedOperators(field)).toEqual(expect.arrayContaining(['withinLast', 'moreThanAgo', 'between', 'exists', 'missing']));
    }
    for (const field of ['favouriteCategory', 'favouriteBrand', 'acquisition.source', 'acquisition.medium', 'acquisition.campaign', 'acquisition.channel']) {
      expect(computedOperators(field)).toEqual(computedOperators('userId'));
      expect(computedOperators(field)).toEqual(expect.arrayContaining(['eq', 'neq', 'in', 'nin', 'contains', 'startsWith']));
    }
    // a loaded rule's operator is offered even when its type does not take it: the server judges it
    expect(computedOperators('orders', 'contains')[0]).toBe('contains');
  });

  it('keeps a condition\'s operator and value on a field of the same type, and starts afresh on another type', () => {
    const orders = { type: 'computed' as const, field: 'orders', op: 'gte', value: 3 };
    expect(withComputedField(orders, 'sessions')).toEqual({ type: 'computed', field: 'sessions', op: 'gte', value: 3 });
    expect(withComputedField(orders, 'lastPurchaseAt')).toEqual({ type: 'computed', field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 30, unit: 'days' } });
    expect(withComputedField(orders, 'acquisition.channel')).toEqual({ type: 'computed', field: 'acquisition.channel', op: 'eq', value: '' });
  });

  it('shows a computed condition with its field and only the operators of its type', () => {
    const html = renderToStaticMarkup(<RuleBuilder rule={{ type: 'computed', field: 'averageOrderValue', op: 'between', value: [20, 40] }} onChange={() => undefined} />);
    expect(html).toContain('<option selected="">averageOrderValue</option>');
    expect(html).toContain('<option selected="">between</option>');
    expect(html).not.toContain('<option>withinLast</option>');
    expect(html).toContain('value="20, 40"');
  });

  it('reads profile ids however they are typed, in their order', () => {
    expect(profileIdsFromInput(`${A}\n${B}\n`)).toEqual([A, B]);
    expect(profileIdsFromInput(` ${B}, ${A} ,\n\n`)).toEqual([B, A]);
    expect(profileIdsFromInput('\n  \n')).toEqual([]);
  });

  it('shows a profile list with its count, its ids one per line and the reason the server gives', () => {
    const rule = { type: 'and' as const, conditions: [
      { type: 'trait' as const, trait: 'country', op: 'eq', value: 'Portugal' },
      { type: 'profiles' as const, profileIds: [A, 'not-an-id', B] }] };
    const error = new ApiError(400, { type: 'https://lodestar.io/problems/invalid-rule', title: 'Invalid rule', status: 400,
      errors: [{ pointer: '/rule/conditions/1/profileIds/1', reason: 'a profile id is a UUID' }] });
    const html = renderToStaticMarkup(<RuleBuilder rule={rule} onChange={() => undefined} error={error} />);
    expect(html).toContain('One of <span class="profile-count">3</span> profiles');
    expect(html).toContain(`${A}\nnot-an-id\n${B}</textarea>`);
    expect(html).toMatch(/<textarea aria-label="Profile ids"[^>]*aria-invalid="true"/);
    expect(html).toContain('id 2 (<code>not-an-id</code>): a profile id is a UUID');
    expect(html.match(/aria-invalid/g)).toHaveLength(1);
    expect(html).toContain('+ Profiles');
  });

  it('points at an empty profile list', () => {
    const error = new ApiError(400, { type: 'https://lodestar.io/problems/invalid-rule', title: 'Invalid rule', status: 400,
      errors: [{ pointer: '/rule/profileIds', reason: 'profileIds is an array of 1-10000 profile ids' }] });
    const html = renderToStaticMarkup(<RuleBuilder rule={{ type: 'profiles', profileIds: [] }} onChange={() => undefined} error={error} />);
    expect(html).toContain('One of <span class="profile-count">0</span> profiles');
    expect(html).toContain('role="alert">profileIds is an array of 1-10000 profile ids</span>');
    expect(html).toMatch(/<textarea aria-label="Profile ids"[^>]*aria-invalid="true"/);
    // a rule of one condition can be put in a group to add more; a group already can
    expect(html).toContain('+ Combine with more conditions');
    const group = renderToStaticMarkup(<RuleBuilder rule={{ type: 'and', conditions: [{ type: 'profiles', profileIds: [A] }] }} onChange={() => undefined} />);
    expect(group).not.toContain('+ Combine with more conditions');
  });

  it('shows the server\'s reason next to the trait, event and computed field it names, and only there', () => {
    const rule = { type: 'and' as const, conditions: [
      { type: 'trait' as const, trait: '', op: 'eq', value: 'pro' },
      { type: 'or' as const, conditions: [
        { type: 'event' as const, event: 'Product Viewed', count: { op: 'gte', value: 3 }, window: { withinLast: { amount: 0, unit: 'days' } } },
        { type: 'computed' as const, field: 'orders', op: 'gte', value: 'two' }] }] };
    const error = new ApiError(400, { type: 'https://lodestar.io/problems/invalid-rule', title: 'Invalid rule', status: 400,
      errors: [
        { pointer: '/rule/conditions/0/trait', reason: 'a trait is a dotted path of 1-5 keys' },
        { pointer: '/rule/conditions/1/conditions/0/window/withinLast/amount', reason: 'amount is a whole number of 1 or more' },
        { pointer: '/rule/conditions/1/conditions/1/value', reason: 'orders compares with a number' }] });
    const html = renderToStaticMarkup(<RuleBuilder rule={rule} onChange={() => undefined} error={error} />);
    expect(html).toMatch(/<input aria-label="Trait key" [^>]*id="rule-conditions-0-trait" aria-invalid="true" aria-describedby="rule-conditions-0-trait-error"/);
    expect(html).toContain('<span class="field-error" id="rule-conditions-0-trait-error" role="alert">a trait is a dotted path of 1-5 keys</span>');
    // a reason below a field (the window's amount) is shown next to it
    expect(html).toMatch(/aria-label="Window in days" [^>]*id="rule-conditions-1-conditions-0-window" aria-invalid="true"/);
    expect(html).toContain('id="rule-conditions-1-conditions-0-window-error" role="alert">amount is a whole number of 1 or more</span>');
    expect(html).toMatch(/aria-label="Value" [^>]*id="rule-conditions-1-conditions-1-value" aria-invalid="true"/);
    expect(html).toContain('id="rule-conditions-1-conditions-1-value-error" role="alert">orders compares with a number</span>');
    expect(html.match(/aria-invalid/g)).toHaveLength(3);
    // every field has its stable id, the groups their pointer
    expect(html).toContain('id="rule-conditions-1-conditions-0-event"');
    expect(html).toContain('id="rule-conditions-1-conditions-0-count"');
    expect(html).toContain('id="rule-conditions-1-conditions-1-field"');
    expect(html).toContain('data-pointer="/rule/conditions/1"');
    expect(fieldId('/rule', 'type')).toBe('rule-type');
    expect(reasonUnder(error, '/rule/conditions/1/conditions/0/count')).toBeUndefined();
    expect(reasonUnder(new Error('offline'), '/rule')).toBeUndefined();
    // without a problem nothing is marked
    expect(renderToStaticMarkup(<RuleBuilder rule={rule} onChange={() => undefined} />)).not.toContain('aria-invalid');
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
