// Scheduled reports (`/v1/analytics/reports`): the form's state and the request JSON the API
// takes, both ways. A report keeps an analytics view's question — its kind, its query
// parameters, for funnels and paths the posted body — with a relative range (the last N days
// before today or before the workspace's last day of data), a format, a schedule and recipients.

import { rangeDays } from './range';

export type ReportKind = 'kpis' | 'sales' | 'events' | 'funnel' | 'paths' | 'retention' | 'kiosk' | 'campaigns';
export type Anchor = 'today' | 'data';
export type Format = 'pdf' | 'csv';

/** Each kind's question parameters, as the analytics API names them, with the choices the views offer. */
export const KINDS: { kind: ReportKind; label: string; parameters: { name: string; label: string; options?: string[]; numeric?: boolean }[] }[] = [
  { kind: 'kpis', label: 'Overview KPIs', parameters: [{ name: 'interval', label: 'Per', options: ['', 'day', 'week', 'month'] }] },
  { kind: 'sales', label: 'Sales', parameters: [
    { name: 'by', label: 'By', options: ['product', 'category', 'brand', 'day', 'week', 'month'] },
    { name: 'limit', label: 'Top', numeric: true }] },
  { kind: 'events', label: 'Top events and pages', parameters: [
    { name: 'type', label: 'Show', options: ['', 'track', 'page', 'screen'] }, { name: 'limit', label: 'Top', numeric: true }] },
  { kind: 'funnel', label: 'Funnel', parameters: [] },
  { kind: 'paths', label: 'Paths', parameters: [] },
  { kind: 'retention', label: 'Retention', parameters: [
    { name: 'cohort', label: 'Cohorts by', options: ['first-seen', 'first-purchase'] },
    { name: 'period', label: 'Period', options: ['day', 'week', 'month'] },
    { name: 'periods', label: 'Periods', numeric: true }, { name: 'event', label: 'Returning with' }] },
  { kind: 'kiosk', label: 'Kiosk zones', parameters: [{ name: 'by', label: 'By', options: ['total', 'day', 'hour', 'hourOfDay'] }] },
  { kind: 'campaigns', label: 'Campaigns', parameters: [
    { name: 'by', label: 'By', options: ['campaign', 'channel'] }, { name: 'lookbackDays', label: 'Look-back days', numeric: true }] },
];

export const kindLabel = (kind: string) => KINDS.find((k) => k.kind === kind)?.label ?? kind;
export const takesRequest = (kind: string) => kind === 'funnel' || kind === 'paths';

/** A question as an analytics view asks it; the report form starts from one. */
export interface Question { kind: ReportKind; parameters?: Record<string, string | number | undefined>; request?: Record<string, unknown> }

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'custom';
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

export interface Schedule { frequency: Frequency; hour: number; minute: number; weekday: string; day: number; cron: string }

export interface ReportForm {
  name: string; kind: ReportKind; parameters: Record<string, string>; request?: Record<string, unknown>;
  lastDays: string; anchor: Anchor; format: Format; schedule: Schedule; recipients: string; enabled: boolean;
}

/** What the API takes (`POST`/`PUT /v1/analytics/reports`), in its key order. */
export interface ReportRequest {
  name: string; kind: string; parameters: Record<string, string>; request?: Record<string, unknown>; lastDays: number | string;
  anchor: Anchor; format: Format; cron: string; recipients: string[]; enabled: boolean;
}

/** A saved report as the API shows it. */
export interface Report extends Omit<ReportRequest, 'lastDays'> {
  reportId: string; lastDays: number; createdBy?: string; createdAt: string; updatedAt: string; nextRunAt?: string | null;
}

export interface Delivery {
  deliveryId: string; startedAt: string; finishedAt: string; trigger: string; status: 'sent' | 'failed'; recipients: number;
  bytes?: number | null; rangeFrom?: string | null; rangeTo?: string | null; error?: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Spring's cron (seconds first, UTC) of a schedule. */
export function cronOf(schedule: Schedule): string {
  const { minute, hour } = schedule;
  switch (schedule.frequency) {
    case 'daily': return `0 ${minute} ${hour} * * *`;
    case 'weekly': return `0 ${minute} ${hour} * * ${schedule.weekday}`;
    case 'monthly': return `0 ${minute} ${hour} ${schedule.day} * *`;
    default: return schedule.cron.trim();
  }
}

/** A cron read back into the schedule it was made from; any other expression stays custom text. */
export function scheduleOf(cron: string): Schedule {
  const base: Schedule = { frequency: 'custom', hour: 8, minute: 0, weekday: 'MON', day: 1, cron };
  const m = /^0 (\d{1,2}) (\d{1,2}) (\*|\d{1,2}) \* (\*|MON|TUE|WED|THU|FRI|SAT|SUN)$/.exec(cron.trim());
  if (!m) return base;
  const minute = Number(m[1]);
  const hour = Number(m[2]);
  if (minute > 59 || hour > 23) return base;
  const timed = { ...base, minute, hour };
  if (m[3] === '*' && m[4] === '*') return { ...timed, frequency: 'daily' };
  if (m[3] === '*') return { ...timed, frequency: 'weekly', weekday: m[4] };
  const day = Number(m[3]);
  if (m[4] === '*' && day >= 1 && day <= 28) return { ...timed, frequency: 'monthly', day };
  return base;
}

/** The schedule in words: "every Monday at 08:00 UTC". */
export function describeSchedule(cron: string): string {
  const s = scheduleOf(cron);
  const at = `at ${pad(s.hour)}:${pad(s.minute)} UTC`;
  const days: Record<string, string> = { MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday', SUN: 'Sunday' };
  switch (s.frequency) {
    case 'daily': return `every day ${at}`;
    case 'weekly': return `every ${days[s.weekday]} ${at}`;
    case 'monthly': return `on day ${s.day} of every month ${at}`;
    default: return `cron ${cron} (UTC)`;
  }
}

/** Addresses typed one a line or separated by commas, semicolons or spaces. */
export function parseRecipients(text: string): string[] {
  return text.split(/[\s,;]+/).map((r) => r.trim()).filter(Boolean);
}

/** The body the API takes. Parameters left empty are left out; only funnels and paths carry a request. */
export function reportRequest(form: ReportForm): ReportRequest {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(form.parameters)) {
    if (value !== undefined && value.trim() !== '') parameters[name] = value.trim();
  }
  const lastDays = /^\d+$/.test(form.lastDays.trim()) ? Number(form.lastDays.trim()) : form.lastDays;
  return {
    name: form.name.trim(),
    kind: form.kind,
    parameters,
    ...(takesRequest(form.kind) ? { request: form.request ?? {} } : {}),
    lastDays,
    anchor: form.anchor,
    format: form.format,
    cron: cronOf(form.schedule),
    recipients: parseRecipients(form.recipients),
    enabled: form.enabled,
  };
}

/** A saved report in the form, to edit it. */
export function reportForm(report: Report): ReportForm {
  return {
    name: report.name,
    kind: report.kind as ReportKind,
    parameters: { ...report.parameters },
    ...(report.request ? { request: report.request } : {}),
    lastDays: String(report.lastDays),
    anchor: report.anchor,
    format: report.format,
    schedule: scheduleOf(report.cron),
    recipients: report.recipients.join(', '),
    enabled: report.enabled,
  };
}

/** The range's own dates stay with the view: a report asks for its relative range each time it runs. */
function withoutRange(request: Record<string, unknown> | undefined) {
  if (!request) return undefined;
  const { from: _from, to: _to, ...rest } = request;
  return rest;
}

/**
 * A new report's form for the question a view shows over its range: as many days as the range
 * has, ending at the workspace's last day of data when the range does (the sample data ends in
 * 2011: "today" would be empty), else ending today.
 */
export function draftReport(question: Question, range: { from: string; to: string }, lastDataDay?: string | null): ReportForm {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(question.parameters ?? {})) {
    if (value !== undefined && value !== '') parameters[name] = String(value);
  }
  const days = rangeDays(range);
  const by = parameters.by ? ` by ${parameters.by}` : '';
  return {
    name: `${kindLabel(question.kind)}${by}, last ${days} days`,
    kind: question.kind,
    parameters,
    ...(takesRequest(question.kind) ? { request: withoutRange(question.request) ?? {} } : {}),
    lastDays: String(days),
    anchor: lastDataDay && range.to === lastDataDay.slice(0, 10) ? 'data' : 'today',
    format: 'pdf',
    schedule: { frequency: 'weekly', hour: 8, minute: 0, weekday: 'MON', day: 1, cron: '' },
    recipients: '',
    enabled: true,
  };
}

export function newReport(): ReportForm {
  return draftReport({ kind: 'kpis' }, { from: '2000-01-01', to: '2000-01-07' });
}

/** What a report asks, in words, for the list. */
export function describeQuestion(report: { kind: string; parameters: Record<string, string>; request?: Record<string, unknown> | null }): string {
  const parameters = Object.entries(report.parameters).map(([k, v]) => `${k} ${v}`).join(', ');
  let request = '';
  const body = report.request as { steps?: { event?: string; type?: string }[]; start?: { event?: string }; end?: { event?: string } } | null | undefined;
  if (report.kind === 'funnel' && body?.steps) request = body.steps.map((s) => s.event ?? s.type ?? '?').join(' → ');
  if (report.kind === 'paths' && body) request = body.start ? `after ${body.start.event ?? 'a page'}` : `before ${body.end?.event ?? 'a page'}`;
  return [kindLabel(report.kind), parameters, request].filter(Boolean).join(' · ');
}

/**
 * Where a problem about a report points, as the form's field ids: the API points at body fields
 * (`/name`, `/recipients/2`, `/cron`) or, for a question it could not answer, at the query
 * parameter (`by`, `limit`) or the request (`/request`, `/steps/0/event`).
 */
export function fieldOf(pointer: string): string {
  if (pointer.startsWith('/recipients')) return 'recipients';
  if (pointer.startsWith('/request') || pointer.startsWith('/steps') || pointer.startsWith('/start') || pointer.startsWith('/end')
    || pointer.startsWith('/window') || pointer.startsWith('/exclusions') || pointer.startsWith('/breakdown')) return 'request';
  if (pointer.startsWith('/')) return pointer.slice(1).split('/')[0];
  return `parameters.${pointer}`;
}

const DRAFT_KEY = 'lodestar.report-draft';

/** Hands a view's question to the Reports page (which opens its form on it). */
export function stashDraft(form: ReportForm) {
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify(form));
}

export function takeDraft(): ReportForm | null {
  const text = sessionStorage.getItem(DRAFT_KEY);
  sessionStorage.removeItem(DRAFT_KEY);
  try {
    return text ? (JSON.parse(text) as ReportForm) : null;
  } catch {
    return null;
  }
}
