import { describe, expect, it } from 'vitest';
import { cronOf, describeQuestion, describeSchedule, draftReport, fieldOf, parseRecipients, Report, reportForm, reportRequest, scheduleOf } from './reports';

describe('the report form and the request JSON', () => {
  it("starts a report from a view's question over its range", () => {
    const form = draftReport({ kind: 'sales', parameters: { by: 'product', limit: 100 } }, { from: '2011-11-10', to: '2011-12-09' }, '2011-12-09T12:50:00Z');
    expect(form.name).toBe('Sales by product, last 30 days');
    expect(form.lastDays).toBe('30');
    expect(form.anchor).toBe('data');
    expect(form.parameters).toEqual({ by: 'product', limit: '100' });
    expect(form.request).toBeUndefined();
    // a range that does not end at the data's last day is counted back from today
    expect(draftReport({ kind: 'kpis' }, { from: '2011-11-10', to: '2011-11-16' }, '2011-12-09T12:00:00Z').anchor).toBe('today');
  });

  it("keeps a funnel's question without the view's dates and sends exactly the API's body", () => {
    const funnel = { steps: [{ event: 'Product Viewed' }, { event: 'Order Completed' }], window: 'P7D', from: '2025-06-01', to: '2025-06-30' };
    const form = { ...draftReport({ kind: 'funnel', request: funnel }, { from: '2025-06-01', to: '2025-06-30' }, '2025-06-30T18:00:00Z'),
      name: 'Weekly funnel', recipients: 'ops@shop.example;\nceo@shop.example ' };
    expect(JSON.stringify(reportRequest(form))).toBe(JSON.stringify({
      name: 'Weekly funnel', kind: 'funnel', parameters: {}, request: { steps: funnel.steps, window: 'P7D' }, lastDays: 30, anchor: 'data',
      format: 'pdf', cron: '0 0 8 * * MON', recipients: ['ops@shop.example', 'ceo@shop.example'], enabled: true,
    }));
  });

  it('loads a saved report and saves it back unchanged', () => {
    const saved: Report = {
      reportId: 'r-1', name: 'Daily sales', kind: 'sales', parameters: { by: 'category', limit: '20' }, lastDays: 7, anchor: 'today',
      format: 'csv', cron: '0 30 6 * * *', recipients: ['a@b.example'], enabled: false, createdAt: '2026-12-01T00:00:00Z',
      updatedAt: '2026-12-01T00:00:00Z', nextRunAt: null,
    };
    const { reportId: _id, createdAt: _c, updatedAt: _u, nextRunAt: _n, ...body } = saved;
    expect(reportRequest(reportForm(saved))).toEqual(body);
    expect(reportForm(saved).schedule).toMatchObject({ frequency: 'daily', hour: 6, minute: 30 });
    // parameters left empty are left out
    expect(reportRequest({ ...reportForm(saved), parameters: { by: 'brand', limit: ' ' } }).parameters).toEqual({ by: 'brand' });
  });

  it('writes schedules as Spring cron and reads them back', () => {
    const weekly = { frequency: 'weekly' as const, hour: 9, minute: 5, weekday: 'FRI', day: 1, cron: '' };
    expect(cronOf(weekly)).toBe('0 5 9 * * FRI');
    expect(scheduleOf('0 5 9 * * FRI')).toMatchObject({ frequency: 'weekly', hour: 9, minute: 5, weekday: 'FRI' });
    expect(cronOf({ ...weekly, frequency: 'monthly', day: 15 })).toBe('0 5 9 15 * *');
    expect(scheduleOf('0 5 9 15 * *')).toMatchObject({ frequency: 'monthly', day: 15 });
    expect(scheduleOf('0 */10 * * * *')).toMatchObject({ frequency: 'custom', cron: '0 */10 * * * *' });
    expect(cronOf(scheduleOf('0 */10 * * * *'))).toBe('0 */10 * * * *');
    expect(describeSchedule('0 0 8 * * MON')).toBe('every Monday at 08:00 UTC');
    expect(describeSchedule('*/5 * * * * *')).toBe('cron */5 * * * * * (UTC)');
  });

  it('reads recipients however they are typed, and says what a report asks', () => {
    expect(parseRecipients(' a@x.example, b@x.example;c@x.example\n\n')).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(describeQuestion({ kind: 'funnel', parameters: {}, request: { steps: [{ event: 'A' }, { type: 'page' }] } })).toBe('Funnel · A → page');
    expect(describeQuestion({ kind: 'sales', parameters: { by: 'brand' } })).toBe('Sales · by brand');
  });

  it("puts the API's pointers on the form's fields", () => {
    expect(fieldOf('/recipients/1')).toBe('recipients');
    expect(fieldOf('/cron')).toBe('cron');
    expect(fieldOf('/steps/0/event')).toBe('request');
    expect(fieldOf('by')).toBe('parameters.by');
  });
});
