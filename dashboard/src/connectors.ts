// Connectors (`/v1/connectors`, ingestion-service): what each kind takes, and the form's state
// to and from the request JSON. The form keeps every setting as the text typed; the request
// gives each its JSON type (numbers, lists, the CSV mapping object) and leaves out what is
// empty, so the server's defaults apply. Settings the form does not know (a newer kind's, or set
// through the API) are kept as they are and sent back unchanged. Credentials are write-only:
// the API names those that are set, never their values; an empty credential field on an edit
// keeps the stored secret.

import type { ConnectorRun } from './poll';

export type FieldType = 'text' | 'date' | 'integer' | 'zone' | 'list' | 'select' | 'json';

export interface FieldSpec {
  name: string; label: string; type: FieldType; required?: boolean; options?: string[]; hint?: string; placeholder?: string;
  /** Shown only when this holds for the settings typed so far (file drops: local folder or S3). */
  when?: (settings: Record<string, string>) => boolean;
}

export interface KindSpec {
  kind: string; label: string; description: string; settings: FieldSpec[];
  credentials: { name: string; label: string; required?: boolean; when?: (settings: Record<string, string>) => boolean }[];
}

const startDate: FieldSpec = { name: 'startDate', label: 'Start date', type: 'date', hint: 'the first day to import' };
const timeZone: FieldSpec = { name: 'timeZone', label: 'Time zone', type: 'zone', placeholder: 'Europe/London', hint: "the account's own when empty" };
const s3 = (settings: Record<string, string>) => settings.location === 's3';
const local = (settings: Record<string, string>) => settings.location !== 's3';

/** The kinds of the ingestion-service README ("Kinds"), with what each needs. */
export const KIND_SPECS: KindSpec[] = [
  {
    kind: 'file-drop', label: 'File drop (CSV / JSON)', description: 'Imports each new file of a folder under the file-drop root, or of an S3 bucket, once.',
    settings: [
      { name: 'location', label: 'Location', type: 'select', options: ['local', 's3'] },
      { name: 'folder', label: 'Folder', type: 'text', required: true, when: local, hint: 'inside the workspace’s file-drop folder (<root>/<workspace>/)', placeholder: 'shop-exports' },
      { name: 'bucket', label: 'Bucket', type: 'text', required: true, when: s3 },
      { name: 'prefix', label: 'Prefix', type: 'text', when: s3 },
      { name: 'region', label: 'Region', type: 'text', when: s3, placeholder: 'us-east-1' },
      { name: 'endpoint', label: 'Endpoint', type: 'text', when: s3, hint: 'an S3-compatible server’s URL' },
      { name: 'pattern', label: 'File pattern', type: 'text', placeholder: '*.csv', hint: 'a glob; every file when empty' },
      { name: 'format', label: 'Format', type: 'select', required: true, options: ['behaviour-csv', 'csv', 'ndjson', 'json'] },
      { name: 'mapping', label: 'CSV mapping', type: 'json', when: (s) => s.format === 'csv', hint: 'JSON: which columns make an event' },
      { name: 'delimiter', label: 'Delimiter', type: 'text', placeholder: ',' },
      { name: 'minAgeSeconds', label: 'Minimum file age (s)', type: 'integer', hint: 'skip files still being written' },
    ],
    credentials: [
      { name: 'accessKeyId', label: 'Access key id', required: true, when: s3 },
      { name: 'secretAccessKey', label: 'Secret access key', required: true, when: s3 },
    ],
  },
  {
    kind: 'meta-ads', label: 'Meta Ads', description: 'Campaign spend, impressions, clicks and conversions per day from the Marketing API.',
    settings: [
      { name: 'accountId', label: 'Ad account id', type: 'text', required: true, placeholder: 'act_798085168510957' }, startDate,
      { name: 'attributionWindowDays', label: 'Attribution window (days)', type: 'integer', placeholder: '28' }, timeZone,
      { name: 'asyncAfterDays', label: 'Async report after (days)', type: 'integer', placeholder: '93' },
    ],
    credentials: [{ name: 'accessToken', label: 'Access token', required: true }],
  },
  {
    kind: 'google-ads', label: 'Google Ads', description: 'Campaign spend, impressions, clicks and conversions per day (GAQL searchStream).',
    settings: [
      { name: 'customerId', label: 'Customer id', type: 'text', required: true, placeholder: '123-456-7890' },
      { name: 'loginCustomerId', label: 'Manager customer id', type: 'text' }, startDate,
      { name: 'conversionWindowDays', label: 'Conversion window (days)', type: 'integer', placeholder: '30' }, timeZone,
    ],
    credentials: [
      { name: 'developerToken', label: 'Developer token', required: true }, { name: 'clientId', label: 'OAuth client id', required: true },
      { name: 'clientSecret', label: 'OAuth client secret', required: true }, { name: 'refreshToken', label: 'Refresh token', required: true },
    ],
  },
  {
    kind: 'ga4', label: 'Google Analytics 4', description: 'A report of dimensions and metrics per day from the Data API.',
    settings: [
      { name: 'propertyId', label: 'Property id', type: 'text', required: true, placeholder: '123456789' },
      { name: 'dimensions', label: 'Dimensions', type: 'list', placeholder: 'sessionSourceMedium, eventName' },
      { name: 'metrics', label: 'Metrics', type: 'list', placeholder: 'eventCount, activeUsers, purchaseRevenue' }, startDate,
      { name: 'revisionWindowDays', label: 'Revision window (days)', type: 'integer', placeholder: '3' },
      { name: 'pageSize', label: 'Page size', type: 'integer', placeholder: '10000' }, timeZone,
    ],
    credentials: [
      { name: 'clientId', label: 'OAuth client id', required: true }, { name: 'clientSecret', label: 'OAuth client secret', required: true },
      { name: 'refreshToken', label: 'Refresh token', required: true },
    ],
  },
  {
    kind: 'shopify', label: 'Shopify', description: 'Orders and customers by last update (GraphQL Admin API).',
    settings: [
      { name: 'shopDomain', label: 'Shop domain', type: 'text', required: true, placeholder: 'my-shop.myshopify.com' },
      { name: 'resources', label: 'Resources', type: 'list', placeholder: 'orders, customers' }, startDate,
      { name: 'overlapMinutes', label: 'Overlap (minutes)', type: 'integer', placeholder: '10' },
    ],
    credentials: [{ name: 'accessToken', label: 'Admin API access token', required: true }],
  },
  {
    kind: 'woocommerce', label: 'WooCommerce', description: 'Orders of every status by last change (REST API).',
    settings: [
      { name: 'storeUrl', label: 'Store URL', type: 'text', required: true, placeholder: 'https://shop.example.com' }, startDate,
      { name: 'overlapMinutes', label: 'Overlap (minutes)', type: 'integer', placeholder: '10' },
    ],
    credentials: [{ name: 'consumerKey', label: 'Consumer key', required: true }, { name: 'consumerSecret', label: 'Consumer secret', required: true }],
  },
  {
    kind: 'appsflyer', label: 'AppsFlyer', description: 'In-app events and installs from the raw-data export, as track events.',
    settings: [
      { name: 'appId', label: 'App id', type: 'text', required: true, placeholder: 'id1234567890' },
      { name: 'reports', label: 'Reports', type: 'list', placeholder: 'in_app_events_report, installs_report' }, startDate,
      { name: 'trailingDays', label: 'Trailing days', type: 'integer', placeholder: '1' },
    ],
    credentials: [{ name: 'apiToken', label: 'API token', required: true }],
  },
  {
    kind: 'mixpanel', label: 'Mixpanel', description: 'The raw event export, as track events.',
    settings: [
      { name: 'projectId', label: 'Project id', type: 'text' }, startDate,
      { name: 'trailingDays', label: 'Trailing days', type: 'integer', placeholder: '2' }, timeZone,
    ],
    credentials: [{ name: 'secret', label: 'Secret', required: true }, { name: 'username', label: 'Service account user name' }],
  },
];

/** The spec of a kind the server offers; a kind the dashboard does not know gets a JSON editor for its settings. */
export function specOf(kind: string): KindSpec {
  return KIND_SPECS.find((k) => k.kind === kind) ?? { kind, label: kind, description: 'Settings as JSON.', settings: [], credentials: [] };
}

export const SCHEDULES = [
  { cron: '*/15 * * * *', label: 'every 15 minutes' },
  { cron: '0 * * * *', label: 'every hour' },
  { cron: '0 3 * * *', label: 'daily at 03:00 UTC' },
  { cron: '0 3 * * 1', label: 'Mondays at 03:00 UTC' },
];

export const DEFAULT_SCHEDULE = '0 3 * * *';

/** A connector as the API shows it. */
export interface Connector {
  id: string; kind: string; name: string; schedule: string; status: 'active' | 'paused'; pausedReason?: string | null;
  pausedUntil?: string | null; settings: Record<string, unknown>; credentialsSet: string[]; watermark?: string | null;
  nextRunAt?: string | null; lastRun?: ConnectorRun | null; createdAt: string; updatedAt: string;
}

export interface ConnectorForm {
  kind: string; name: string; schedule: string;
  /** The settings the form edits, as typed. */
  settings: Record<string, string>;
  /** Settings it does not edit, kept as they came (or, for an unknown kind, all of them as JSON text). */
  other: Record<string, unknown>;
  /** For a kind without a spec: the whole settings object as JSON text. */
  rawSettings?: string;
  /** Secrets typed now: an empty one is not sent (on an edit the stored one stays). */
  credentials: Record<string, string>;
  /** Secrets to remove on an edit (sent as null). */
  removeCredentials: string[];
  /** The settings' key order as loaded, so an edit sends them back in it. */
  order: string[];
}

export function newConnector(kind: string): ConnectorForm {
  const spec = specOf(kind);
  const settings: Record<string, string> = {};
  if (kind === 'file-drop') {
    settings.location = 'local';
    settings.format = 'behaviour-csv';
  }
  return { kind, name: '', schedule: DEFAULT_SCHEDULE, settings, other: {}, credentials: {}, removeCredentials: [],
    order: [], ...(spec.settings.length === 0 ? { rawSettings: '{}' } : {}) };
}

function asText(value: unknown, type: FieldType): string {
  if (value === null || value === undefined) return '';
  if (type === 'list' && Array.isArray(value)) return value.map(String).join(', ');
  if (type === 'json') return JSON.stringify(value, null, 2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A saved connector in the form: its settings as text, no credential values (the API has none to give). */
export function connectorForm(connector: Connector): ConnectorForm {
  const spec = specOf(connector.kind);
  const settings: Record<string, string> = {};
  const other: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(connector.settings ?? {})) {
    const field = spec.settings.find((f) => f.name === name);
    const editable = field && (field.type === 'json' || field.type === 'list' ? true : value === null || typeof value !== 'object');
    if (field && editable) settings[name] = asText(value, field.type);
    else other[name] = value;
  }
  return {
    kind: connector.kind, name: connector.name, schedule: connector.schedule, settings, other,
    ...(spec.settings.length === 0 ? { rawSettings: JSON.stringify(connector.settings ?? {}, null, 2) } : {}),
    credentials: {}, removeCredentials: [], order: Object.keys(connector.settings ?? {}),
  };
}

/** A field's text as the JSON the API takes: a number for a whole number, a list, the mapping object. */
function typed(field: FieldSpec, text: string): { value?: unknown; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  switch (field.type) {
    case 'integer':
      // anything else goes as typed: the server says what is wrong with it, next to the field
      return { value: /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed };
    case 'list':
      return { value: trimmed.split(',').map((v) => v.trim()).filter(Boolean) };
    case 'json':
      try {
        return { value: JSON.parse(trimmed) };
      } catch (e) {
        return { error: `is not JSON: ${(e as Error).message}` };
      }
    case 'text':
      // a delimiter may be a space or a tab
      return { value: field.name === 'delimiter' ? text : trimmed };
    default:
      return { value: trimmed };
  }
}

export interface Built<T> { request?: T; errors: { pointer: string; reason: string }[] }

/** The settings object: fields shown for the settings typed, each typed, in the loaded key order, the kept ones too. */
export function settingsJson(form: ConnectorForm): Built<Record<string, unknown>> {
  const spec = specOf(form.kind);
  const errors: { pointer: string; reason: string }[] = [];
  if (spec.settings.length === 0) {
    try {
      const parsed = JSON.parse(form.rawSettings?.trim() || '{}') as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { errors: [{ pointer: 'settings', reason: 'must be a JSON object' }] };
      return { request: parsed as Record<string, unknown>, errors };
    } catch (e) {
      return { errors: [{ pointer: 'settings', reason: `is not JSON: ${(e as Error).message}` }] };
    }
  }
  const values: Record<string, unknown> = { ...form.other };
  for (const field of spec.settings) {
    if (field.when && !field.when(form.settings)) continue;
    const { value, error } = typed(field, form.settings[field.name] ?? '');
    if (error) errors.push({ pointer: `settings.${field.name}`, reason: error });
    else if (value !== undefined) values[field.name] = value;
  }
  const ordered: Record<string, unknown> = {};
  for (const name of form.order) if (name in values) ordered[name] = values[name];
  for (const field of spec.settings) if (field.name in values && !(field.name in ordered)) ordered[field.name] = values[field.name];
  for (const name of Object.keys(values)) if (!(name in ordered)) ordered[name] = values[name];
  return { request: ordered, errors };
}

function credentialsJson(form: ConnectorForm, withRemovals: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(form.credentials)) if (value !== '') out[name] = value;
  if (withRemovals) for (const name of form.removeCredentials) if (!(name in out)) out[name] = null;
  return out;
}

/** `POST /v1/connectors`. */
export function createRequest(form: ConnectorForm): Built<{ kind: string; name: string; schedule: string; settings: Record<string, unknown>; credentials: Record<string, string | null> }> {
  const settings = settingsJson(form);
  if (!settings.request) return { errors: settings.errors };
  return {
    request: { kind: form.kind, name: form.name.trim(), schedule: form.schedule.trim() || DEFAULT_SCHEDULE, settings: settings.request,
      credentials: credentialsJson(form, false) },
    errors: settings.errors,
  };
}

/**
 * `PATCH /v1/connectors/{id}`: name, schedule and the whole settings object (the API replaces
 * it); only the credentials typed now (merged key by key), and null for those to remove.
 */
export function updateRequest(form: ConnectorForm): Built<{ name: string; schedule: string; settings: Record<string, unknown>; credentials?: Record<string, string | null> }> {
  const settings = settingsJson(form);
  if (!settings.request) return { errors: settings.errors };
  const credentials = credentialsJson(form, true);
  return {
    request: { name: form.name.trim(), schedule: form.schedule.trim(), settings: settings.request,
      ...(Object.keys(credentials).length > 0 ? { credentials } : {}) },
    errors: settings.errors,
  };
}

/** The request's field a problem names (`settings.folder`, `credentials.accessToken`, `name`) as the form's input id. */
export const inputId = (field: string) => `connector-${field.replace(/\./g, '-')}`;
