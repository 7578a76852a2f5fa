// The segment builder's model of a rule (segment-service README, version 1). A rule is edited as
// this tree and serialised back to exactly the JSON the API takes: load → edit nothing → save
// gives the same JSON (tested).

export type Rule = Group | Not | Trait | Computed | EventCondition | SegmentRef | Profiles;

export interface Group { type: 'and' | 'or'; conditions: Rule[] }
export interface Not { type: 'not'; condition: Rule }
export interface Trait { type: 'trait'; trait: string; op: string; value?: unknown }
export interface Computed { type: 'computed'; field: string; op: string; value?: unknown }
export interface EventCondition {
  type: 'event';
  event?: string;
  eventType?: string;
  performed?: boolean;
  where?: { property: string; op: string; value?: unknown }[];
  count?: { op: string; value: unknown };
  aggregate?: { fn: string; property: string; op: string; value: unknown };
  window?: { withinLast?: { amount: number; unit: string }; from?: string; to?: string };
}
export interface SegmentRef { type: 'segment'; segmentId: string; member?: boolean }
/** A hand-picked list of profiles, or one an analysis produced (a funnel step's drop-outs): 1-10,000 ids. */
export interface Profiles { type: 'profiles'; profileIds: string[] }

export const MAX_PROFILE_IDS = 10_000;

export const OPERATORS = ['eq', 'neq', 'in', 'nin', 'contains', 'startsWith', 'between', 'gt', 'gte', 'lt',
  'lte', 'exists', 'missing', 'withinLast', 'moreThanAgo'];

export type ComputedType = 'number' | 'instant' | 'string';

/** The operators the builder offers per value type (the server accepts these for a field of that type). */
export const COMPUTED_OPERATORS: Record<ComputedType, string[]> = {
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'missing'],
  instant: ['withinLast', 'moreThanAgo', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'missing'],
  string: ['eq', 'neq', 'in', 'nin', 'contains', 'startsWith', 'exists', 'missing'],
};

/** The computed fields of the rule language (segment-service README) with their value types. */
export const COMPUTED_FIELD_TYPES: Record<string, ComputedType> = {
  eventCount: 'number', firstSeenAt: 'instant', lastSeenAt: 'instant', userId: 'string',
  sessions: 'number', orders: 'number', revenue: 'number', averageOrderValue: 'number',
  firstPurchaseAt: 'instant', lastPurchaseAt: 'instant', favouriteCategory: 'string', favouriteBrand: 'string',
  'acquisition.source': 'string', 'acquisition.medium': 'string', 'acquisition.campaign': 'string',
  'acquisition.channel': 'string',
  'ltv.predictedSpend365': 'number', 'ltv.probabilityAlive': 'number', 'ltv.expectedPurchases90': 'number',
  'rfm.tier': 'string', 'rfm.recencyScore': 'number', 'rfm.frequencyScore': 'number', 'rfm.monetaryScore': 'number',
};

export const COMPUTED_FIELDS = Object.keys(COMPUTED_FIELD_TYPES);

/**
 * The operators offered for a computed field: those of its type, and the rule's own operator
 * too when a loaded rule uses another one (the server judges it; the builder never rewrites it).
 */
export function computedOperators(field: string, current?: string): string[] {
  const type = COMPUTED_FIELD_TYPES[field];
  const ops = type ? COMPUTED_OPERATORS[type] : OPERATORS;
  return current && !ops.includes(current) ? [current, ...ops] : ops;
}

/** What a condition on a field of each type starts as. */
const COMPUTED_DEFAULTS: Record<ComputedType, { op: string; value: unknown }> = {
  number: { op: 'gte', value: 1 },
  instant: { op: 'withinLast', value: { amount: 30, unit: 'days' } },
  string: { op: 'eq', value: '' },
};

/**
 * A computed condition moved to another field: operator and value kept when the new field has the
 * same type, else the new type's starting condition (an amount of days for an instant, …).
 */
export function withComputedField(rule: Computed, field: string): Computed {
  const from = COMPUTED_FIELD_TYPES[rule.field];
  const to = COMPUTED_FIELD_TYPES[field];
  if (!to || from === to) return { ...rule, field };
  const start = COMPUTED_DEFAULTS[to];
  return { type: 'computed', field, op: start.op, value: structuredClone(start.value) };
}

/** Profile ids as typed: one per line or separated by commas or spaces, blanks dropped, order kept. */
export function profileIdsFromInput(text: string): string[] {
  return text.split(/[\s,;]+/).map((id) => id.trim()).filter((id) => id !== '');
}

/** Reads a rule's JSON into the builder's tree; unknown node types are refused with a message. */
export function parseRule(json: unknown): Rule {
  const node = json as Record<string, unknown>;
  switch (node?.type) {
    case 'and':
    case 'or':
      return { type: node.type, conditions: (node.conditions as unknown[]).map(parseRule) };
    case 'not':
      return { type: 'not', condition: parseRule(node.condition) };
    case 'trait':
    case 'computed':
    case 'event':
    case 'segment':
    case 'profiles':
      return structuredClone(node) as unknown as Rule;
    default:
      throw new Error(`unknown condition type: ${String(node?.type)}`);
  }
}

/** The rule as the API takes it: keys in a stable order, empty optional parts left out. */
export function toJson(rule: Rule): unknown {
  switch (rule.type) {
    case 'and':
    case 'or':
      return { type: rule.type, conditions: rule.conditions.map(toJson) };
    case 'not':
      return { type: 'not', condition: toJson(rule.condition) };
    case 'trait':
      return withValue({ type: 'trait', trait: rule.trait, op: rule.op }, rule.value);
    case 'computed':
      return withValue({ type: 'computed', field: rule.field, op: rule.op }, rule.value);
    case 'segment':
      return rule.member === undefined ? { type: 'segment', segmentId: rule.segmentId }
        : { type: 'segment', segmentId: rule.segmentId, member: rule.member };
    case 'profiles':
      return { type: 'profiles', profileIds: [...rule.profileIds] };
    case 'event': {
      const out: Record<string, unknown> = { type: 'event' };
      for (const key of ['event', 'eventType', 'performed', 'where', 'count', 'aggregate', 'window'] as const) {
        const value = rule[key];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          out[key] = value;
        }
      }
      return out;
    }
  }
}

function withValue(node: Record<string, unknown>, value: unknown) {
  return value === undefined ? node : { ...node, value };
}

/** What a user types in a value box, as the JSON value the operator takes. */
export function valueFromInput(op: string, text: string): unknown {
  if (op === 'exists' || op === 'missing') return undefined;
  if (op === 'withinLast' || op === 'moreThanAgo') {
    return { amount: Math.max(1, parseInt(text, 10) || 1), unit: 'days' };
  }
  if (op === 'in' || op === 'nin' || op === 'between') {
    return text.split(',').map((part) => scalar(part.trim()));
  }
  return scalar(text);
}

export function valueToInput(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return String((value as { amount?: number }).amount ?? '');
  return String(value);
}

function scalar(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text !== '' && !Number.isNaN(Number(text)) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

export function emptyRule(): Group {
  return { type: 'and', conditions: [{ type: 'trait', trait: 'country', op: 'eq', value: '' }] };
}
