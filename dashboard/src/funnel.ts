// The funnel builder's model. As with the segment builder (docs/adr/0013-dashboard.md) its state
// is the request the API takes (`POST /v1/analytics/funnels`, profile-service README), without the
// date range, which the page's range picker owns: steps with property filters, the conversion
// window as an ISO-8601 duration, exclusions between two steps and the breakdown field. Loading a
// request and serialising it without an edit gives back exactly the same JSON (tested).

export type EventType = 'track' | 'page' | 'screen';

export const FILTER_OPS = ['eq', 'neq', 'in', 'contains', 'startsWith', 'gt', 'gte', 'lt', 'lte', 'exists', 'missing'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const OP_LABELS: Record<FilterOp, string> = {
  eq: 'is', neq: 'is not', in: 'is one of', contains: 'contains', startsWith: 'starts with', gt: '>', gte: '≥',
  lt: '<', lte: '≤', exists: 'is set', missing: 'is not set',
};

export interface Filter { property: string; op: FilterOp; value?: unknown }

/** A step, a path's anchor or an exclusion: a track event by name, or a page / screen view. */
export interface EventMatch { type?: EventType; event?: string; filters?: Filter[] }

export interface Exclusion extends EventMatch { afterStep?: number; beforeStep?: number }

export interface Funnel { steps: EventMatch[]; window?: string; exclusions?: Exclusion[]; breakdown?: string }

export interface FunnelRequest extends Funnel { from?: string; to?: string }

export const MAX_STEPS = 10;
export const MAX_EXCLUSIONS = 5;

export function newFunnel(): Funnel {
  return { steps: [{ event: 'Product Viewed' }, { event: 'Order Completed' }], window: 'P7D' };
}

/** Reads a request's JSON into the builder's state (the range is left to the range picker). */
export function parseFunnel(json: unknown): Funnel {
  const node = json as Record<string, unknown>;
  if (!node || !Array.isArray(node.steps)) throw new Error('a funnel has a list of steps');
  const funnel: Funnel = { steps: node.steps.map(parseMatch) };
  if (typeof node.window === 'string') funnel.window = node.window;
  if (Array.isArray(node.exclusions)) {
    funnel.exclusions = node.exclusions.map((e: Record<string, unknown>) => {
      const exclusion: Exclusion = parseMatch(e);
      if (typeof e.afterStep === 'number') exclusion.afterStep = e.afterStep;
      if (typeof e.beforeStep === 'number') exclusion.beforeStep = e.beforeStep;
      return exclusion;
    });
  }
  if (typeof node.breakdown === 'string') funnel.breakdown = node.breakdown;
  return funnel;
}

function parseMatch(json: unknown): EventMatch {
  const node = json as Record<string, unknown>;
  const match: EventMatch = {};
  if (typeof node.type === 'string') {
    if (!['track', 'page', 'screen'].includes(node.type)) throw new Error(`unknown step type: ${node.type}`);
    match.type = node.type as EventType;
  }
  if (typeof node.event === 'string') match.event = node.event;
  if (Array.isArray(node.filters)) match.filters = structuredClone(node.filters) as Filter[];
  return match;
}

/** A step or anchor as the API takes it: type, event, filters; absent and empty parts left out. */
export function matchJson(match: EventMatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (match.type !== undefined) out.type = match.type;
  if (match.event !== undefined) out.event = match.event;
  if (match.filters && match.filters.length > 0) {
    out.filters = match.filters.map((f) => (f.value === undefined ? { property: f.property, op: f.op }
      : { property: f.property, op: f.op, value: f.value }));
  }
  return out;
}

/** The request for the funnel over a range, in the API's key order. */
export function funnelRequest(funnel: Funnel, range?: { from: string; to: string }): FunnelRequest {
  const out: Record<string, unknown> = { steps: funnel.steps.map(matchJson) };
  if (funnel.window !== undefined) out.window = funnel.window;
  if (range) {
    out.from = range.from;
    out.to = range.to;
  }
  if (funnel.exclusions && funnel.exclusions.length > 0) {
    out.exclusions = funnel.exclusions.map((e) => {
      const exclusion = matchJson(e);
      if (e.afterStep !== undefined) exclusion.afterStep = e.afterStep;
      if (e.beforeStep !== undefined) exclusion.beforeStep = e.beforeStep;
      return exclusion;
    });
  }
  if (funnel.breakdown) out.breakdown = funnel.breakdown;
  return out as unknown as FunnelRequest;
}

/** The label the API gives a step: the event's name, or the view type. */
export function stepLabel(match: EventMatch): string {
  return (match.type ?? 'track') === 'track' ? match.event ?? '' : match.type!;
}

// --- edits: each returns a new funnel ---

export function addStep(funnel: Funnel, step: EventMatch = { event: '' }): Funnel {
  if (funnel.steps.length >= MAX_STEPS) return funnel;
  return { ...funnel, steps: [...funnel.steps, step] };
}

export function updateStep(funnel: Funnel, index: number, step: EventMatch): Funnel {
  return { ...funnel, steps: funnel.steps.map((s, i) => (i === index ? step : s)) };
}

/** Removes a step; exclusions keep their step numbers where they still can. */
export function removeStep(funnel: Funnel, index: number): Funnel {
  if (funnel.steps.length <= 2) return funnel;
  const steps = funnel.steps.filter((_, i) => i !== index);
  return withExclusions({ ...funnel, steps }, clampExclusions(funnel.exclusions, steps.length));
}

/** Moves a step up (-1) or down (+1); exclusions stay between the same step numbers. */
export function moveStep(funnel: Funnel, index: number, delta: -1 | 1): Funnel {
  const target = index + delta;
  if (target < 0 || target >= funnel.steps.length) return funnel;
  const steps = [...funnel.steps];
  [steps[index], steps[target]] = [steps[target], steps[index]];
  return { ...funnel, steps };
}

/** A match of another type: a track step keeps its event name, page and screen views have none. */
export function withType(match: EventMatch, type: EventType): EventMatch {
  const { filters } = match;
  const next: EventMatch = type === 'track' ? { event: match.event ?? '' } : { type };
  if (filters) next.filters = filters;
  return next;
}

export function addFilter<T extends EventMatch>(match: T, filter: Filter = { property: '', op: 'eq', value: '' }): T {
  return { ...match, filters: [...(match.filters ?? []), filter] };
}

export function updateFilter<T extends EventMatch>(match: T, index: number, filter: Filter): T {
  return { ...match, filters: (match.filters ?? []).map((f, i) => (i === index ? filter : f)) };
}

export function removeFilter<T extends EventMatch>(match: T, index: number): T {
  const filters = (match.filters ?? []).filter((_, i) => i !== index);
  const { filters: _, ...rest } = match;
  return (filters.length === 0 ? rest : { ...rest, filters }) as T;
}

/** A filter with another operator, its value carried over as far as the operator takes it. */
export function withOp(filter: Filter, op: FilterOp): Filter {
  const value = filterValue(op, filterText(filter.value));
  return value === undefined ? { property: filter.property, op } : { property: filter.property, op, value };
}

export function addExclusion(funnel: Funnel): Funnel {
  const exclusions = funnel.exclusions ?? [];
  if (exclusions.length >= MAX_EXCLUSIONS) return funnel;
  return { ...funnel, exclusions: [...exclusions, { event: '', afterStep: 1, beforeStep: 2 }] };
}

export function updateExclusion(funnel: Funnel, index: number, exclusion: Exclusion): Funnel {
  return withExclusions(funnel, (funnel.exclusions ?? []).map((e, i) => (i === index ? exclusion : e)));
}

export function removeExclusion(funnel: Funnel, index: number): Funnel {
  return withExclusions(funnel, (funnel.exclusions ?? []).filter((_, i) => i !== index));
}

function withExclusions(funnel: Funnel, exclusions: Exclusion[] | undefined): Funnel {
  const next = { ...funnel, exclusions };
  if (!exclusions || exclusions.length === 0) delete next.exclusions;
  return next;
}

/** Exclusions of a funnel that now has `steps` steps: step numbers pulled into 1 … steps. */
function clampExclusions(exclusions: Exclusion[] | undefined, steps: number): Exclusion[] | undefined {
  return exclusions?.map((e) => {
    const before = Math.min(e.beforeStep ?? (e.afterStep ?? 1) + 1, steps);
    const after = Math.min(e.afterStep ?? 1, before - 1);
    return { ...e, afterStep: after, beforeStep: before };
  });
}

// --- the conversion window ---

export type WindowUnit = 'minutes' | 'hours' | 'days';

/** An ISO-8601 window of one unit (P7D, PT2H, PT30M) as amount and unit; null for other forms. */
export function parseWindow(window: string | undefined): { amount: number; unit: WindowUnit } | null {
  const match = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(window ?? 'P7D');
  if (!match) return null;
  if (match[1]) return { amount: Number(match[1]), unit: 'days' };
  if (match[2]) return { amount: Number(match[2]), unit: 'hours' };
  return { amount: Number(match[3]), unit: 'minutes' };
}

/** A window in words: "7 days", "2 hours", "1 minute"; other ISO forms as they are. */
export function windowText(window: string | undefined): string {
  const parsed = parseWindow(window);
  if (!parsed) return window ?? '';
  return `${parsed.amount} ${parsed.amount === 1 ? parsed.unit.slice(0, -1) : parsed.unit}`;
}

export function formatWindow(amount: number, unit: WindowUnit): string {
  const n = Math.max(1, Math.round(amount) || 1);
  return unit === 'days' ? `P${n}D` : unit === 'hours' ? `PT${n}H` : `PT${n}M`;
}

// --- the breakdown ---

export type BreakdownKind = 'none' | 'traits' | 'properties';

export function parseBreakdown(breakdown: string | undefined): { kind: BreakdownKind; key: string } {
  if (!breakdown) return { kind: 'none', key: '' };
  const dot = breakdown.indexOf('.');
  const kind = breakdown.slice(0, dot);
  return kind === 'traits' || kind === 'properties' ? { kind, key: breakdown.slice(dot + 1) } : { kind: 'traits', key: breakdown };
}

export function withBreakdown(funnel: Funnel, kind: BreakdownKind, key: string): Funnel {
  const { breakdown, ...rest } = funnel;
  return kind === 'none' ? rest : { ...rest, breakdown: `${kind}.${key}` };
}

// --- filter values as typed ---

/** What a user types as the JSON value an operator takes (the server judges the rest). */
export function filterValue(op: FilterOp, text: string): unknown {
  switch (op) {
    case 'exists':
    case 'missing':
      return undefined;
    case 'in':
      return text.split(',').map((part) => part.trim()).filter((part) => part !== '').map(scalar);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
    case 'contains':
    case 'startsWith':
      return text;
    default:
      return scalar(text);
  }
}

export function filterText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

function scalar(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
