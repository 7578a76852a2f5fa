import { describe, expect, it } from 'vitest';
import { normaliseProblem } from './api';
import { Connector, connectorForm, createRequest, newConnector, settingsJson, specOf, updateRequest } from './connectors';

const saved = (kind: string, settings: Record<string, unknown>, credentialsSet: string[] = []): Connector => ({
  id: 'c-1', kind, name: 'Ads', schedule: '0 3 * * *', status: 'active', settings, credentialsSet,
  createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z',
});

describe('the connector form and the request JSON', () => {
  it('gives a file drop clicked together exactly the request the API takes', () => {
    let form = newConnector('file-drop');
    form = { ...form, name: ' Shop exports ', schedule: '*/15 * * * *' };
    form = { ...form, settings: { ...form.settings, folder: ' shop/2026 ', pattern: '*.csv', minAgeSeconds: '30', delimiter: '' } };
    const built = createRequest(form);
    expect(built.errors).toEqual([]);
    expect(JSON.stringify(built.request)).toBe(JSON.stringify({
      kind: 'file-drop', name: 'Shop exports', schedule: '*/15 * * * *',
      settings: { location: 'local', folder: 'shop/2026', pattern: '*.csv', format: 'behaviour-csv', minAgeSeconds: 30 },
      credentials: {},
    }));
  });

  it('sends a CSV mapping as the object typed, and an S3 drop with its bucket and keys only', () => {
    let form = newConnector('file-drop');
    form = { ...form, name: 'Retail', settings: { location: 's3', folder: 'ignored', bucket: 'retail-drops', prefix: 'in/', format: 'csv',
      mapping: '{"type":"track","event":"Order Completed","userId":"customer_id"}' } };
    form = { ...form, credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' } };
    const request = createRequest(form).request!;
    expect(request.settings).toEqual({ location: 's3', bucket: 'retail-drops', prefix: 'in/', format: 'csv',
      mapping: { type: 'track', event: 'Order Completed', userId: 'customer_id' } });
    expect(request.credentials).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' });
    // a mapping that is not JSON is pointed at before anything is sent
    const bad = settingsJson({ ...form, settings: { ...form.settings, mapping: '{"type":' } });
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0].pointer).toBe('settings.mapping');
  });

  it('loads a saved connector and sends its settings back unchanged, in their order, without credentials', () => {
    const settings = { timeZone: 'Europe/Lisbon', accountId: 'act_42', attributionWindowDays: 7, startDate: '2026-01-01' };
    const form = connectorForm(saved('meta-ads', settings, ['accessToken']));
    expect(form.settings.attributionWindowDays).toBe('7');
    expect(form.credentials).toEqual({});
    const request = updateRequest(form).request!;
    expect(JSON.stringify(request)).toBe(JSON.stringify({ name: 'Ads', schedule: '0 3 * * *', settings }));
    expect(request).not.toHaveProperty('credentials');
  });

  it('merges only the credentials typed now, and removes those asked for with null', () => {
    const form = connectorForm(saved('mixpanel', { projectId: '123' }, ['secret', 'username']));
    const request = updateRequest({ ...form, credentials: { secret: 'new-secret', username: '' }, removeCredentials: ['username'] }).request!;
    expect(request.credentials).toEqual({ secret: 'new-secret', username: null });
  });

  it('keeps settings the form does not edit, and lists as lists', () => {
    const settings = { propertyId: '9', dimensions: ['eventName', 'sessionSourceMedium'], experimental: { sample: true } };
    const form = connectorForm(saved('ga4', settings, []));
    expect(form.settings.dimensions).toBe('eventName, sessionSourceMedium');
    expect(form.other).toEqual({ experimental: { sample: true } });
    expect(settingsJson(form).request).toEqual(settings);
    expect(settingsJson({ ...form, settings: { ...form.settings, dimensions: 'eventName,  ' } }).request!.dimensions).toEqual(['eventName']);
  });

  it('leaves a typed value the server must judge as typed, and empties out', () => {
    const form = newConnector('meta-ads');
    const request = createRequest({ ...form, name: 'Meta', settings: { accountId: 'act_1', attributionWindowDays: 'four', startDate: '' } }).request!;
    expect(request.settings).toEqual({ accountId: 'act_1', attributionWindowDays: 'four' });
  });

  it('edits a kind it does not know as JSON', () => {
    const form = connectorForm(saved('tiktok-ads', { advertiserId: '7', days: 3 }));
    expect(specOf('tiktok-ads').settings).toEqual([]);
    expect(JSON.parse(form.rawSettings!)).toEqual({ advertiserId: '7', days: 3 });
    expect(settingsJson({ ...form, rawSettings: '{"advertiserId":"8"}' }).request).toEqual({ advertiserId: '8' });
    expect(settingsJson({ ...form, rawSettings: '[1]' }).errors[0].pointer).toBe('settings');
  });

  it("reads the connector API's field errors as pointers the form shows next to its fields", () => {
    const problem = normaliseProblem({ type: 'https://lodestar.io/problems/invalid-connector', title: 'Invalid connector',
      detail: '2 field(s) are invalid', errors: [{ field: 'settings.accountId', message: 'is required' },
        { field: 'credentials.accessToken', message: 'is required' }] }, 400);
    expect(problem.errors).toEqual([{ pointer: 'settings.accountId', reason: 'is required' },
      { pointer: 'credentials.accessToken', reason: 'is required' }]);
    expect(problem.status).toBe(400);
    expect(normaliseProblem({ errors: [{ pointer: '/name', reason: 'x' }] }, 400).errors).toEqual([{ pointer: '/name', reason: 'x' }]);
  });
});
