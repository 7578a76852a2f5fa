import { FormEvent, useState } from 'react';
import { ApiError, can, get, post, put, remove } from '../api';
import { count } from '../format';
import {
  Delivery, describeQuestion, describeSchedule, fieldOf, Frequency, KINDS, kindLabel, newReport, Report, ReportForm, reportForm,
  reportRequest, ReportKind, takeDraft, takesRequest, WEEKDAYS,
} from '../reports';
import { Column, DataTable, DownloadButton, formatTime, Status, useLoad } from '../ui';

const fileName = (report: { name: string }) => report.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'report';

/**
 * Scheduled reports: analytics questions e-mailed as PDF or CSV on a schedule. Anyone who may
 * read analytics sees them and downloads them as they would be sent; `reports:manage` creates
 * (from any analytics view's "Schedule as report…"), edits, pauses, sends now and deletes.
 */
export function Reports({ rest }: { rest: string }) {
  const manage = can('reports:manage');
  const reports = useLoad<Report[]>(() => get('/v1/analytics/reports'), []);
  const [editing, setEditing] = useState<{ form: ReportForm; id?: string } | null>(() => {
    if (rest !== '/new') return null;
    const draft = takeDraft();
    return manage ? { form: draft ?? newReport() } : null;
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const list = reports.data ?? [];

  async function act(work: () => Promise<unknown>, done: string) {
    setError(undefined);
    setMessage('');
    try {
      await work();
      setMessage(done);
    } catch (e) {
      setError(e);
    }
    reports.refresh();
  }
  async function sendNow(report: Report) {
    setError(undefined);
    setMessage('');
    setSelected(report.reportId);
    try {
      const delivery = await post<Delivery>(`/v1/analytics/reports/${report.reportId}/send`);
      setMessage(`${report.name}: sent to ${delivery.recipients} recipient(s), ${count(delivery.bytes ?? 0)} bytes.`);
    } catch (e) {
      // a refused delivery is a 502 whose body is the delivery with the mail server's reason
      const delivery = e instanceof ApiError && e.status === 502 ? (e.problem as unknown as Delivery) : undefined;
      setError(delivery?.error ? new ApiError(502, { title: 'Not sent', detail: delivery.error }) : e);
    }
    setDeliveriesVersion((v) => v + 1);
  }
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);

  const columns: Column<Report>[] = [
    { key: 'name', label: 'Name', render: (r) => (
      <button type="button" className="link" aria-pressed={selected === r.reportId} onClick={() => setSelected(selected === r.reportId ? null : r.reportId)}>{r.name}</button>
    ) },
    { key: 'kind', label: 'Question', sortValue: (r) => r.kind, render: (r) => describeQuestion(r) },
    { key: 'lastDays', label: 'Range', render: (r) => `last ${r.lastDays} days${r.anchor === 'data' ? ' of data' : ''}` },
    { key: 'format', label: 'Format', render: (r) => r.format.toUpperCase() },
    { key: 'cron', label: 'Schedule', render: (r) => describeSchedule(r.cron) },
    { key: 'recipients', label: 'Recipients', sortValue: (r) => r.recipients.length, render: (r) => r.recipients.join(', ') },
    { key: 'nextRunAt', label: 'Next', render: (r) => (r.enabled ? formatTime(r.nextRunAt ?? undefined) : <span className="tag">paused</span>) },
    { key: 'actions', label: 'Actions', sortValue: () => 0, render: (r) => (
      <span className="row-actions">
        <DownloadButton path={`/v1/analytics/reports/${r.reportId}/render?format=${r.format}`} filename={`${fileName(r)}.${r.format}`}
          label={`Download ${r.format.toUpperCase()}`} />
        {manage && (
          <>
            <button type="button" className="secondary small" aria-label={`Send ${r.name} now`} onClick={() => void sendNow(r)}>Send now</button>
            <button type="button" className="secondary small" aria-label={`${r.enabled ? 'Pause' : 'Resume'} ${r.name}`}
              onClick={() => act(() => put(`/v1/analytics/reports/${r.reportId}`, reportRequest({ ...reportForm(r), enabled: !r.enabled })),
                `${r.name} ${r.enabled ? 'paused' : 'resumed'}.`)}>{r.enabled ? 'Pause' : 'Resume'}</button>
            <button type="button" className="secondary small" aria-label={`Edit ${r.name}`}
              onClick={() => setEditing({ form: reportForm(r), id: r.reportId })}>Edit</button>
            <button type="button" className="secondary small danger" aria-label={`Delete ${r.name}`}
              onClick={() => { if (window.confirm(`Delete the report “${r.name}” and its delivery log?`)) void act(() => remove(`/v1/analytics/reports/${r.reportId}`), `${r.name} deleted.`); }}>Delete</button>
          </>
        )}
      </span>
    ) },
  ];

  const chosen = list.find((r) => r.reportId === selected);
  return (
    <>
      <h1>Reports</h1>
      {editing && (
        <ReportEditor key={editing.id ?? 'new'} initial={editing.form} id={editing.id}
          onDone={(saved) => {
            setEditing(null);
            if (window.location.hash.startsWith('#/reports/new')) window.location.hash = '#/reports';
            if (saved) { setSelected(saved.reportId); setMessage(`${saved.name} saved: next delivery ${saved.nextRunAt ? formatTime(saved.nextRunAt) : 'none (paused)'}.`); }
            reports.refresh();
          }} />
      )}
      <div className="card" role="region" aria-label="Saved reports">
        <div className="row">
          <h2 style={{ margin: 0 }}>Scheduled reports</h2>
          {manage && !editing && <button type="button" onClick={() => setEditing({ form: newReport() })}>New report</button>}
          <span className="muted">e-mailed as PDF or CSV; open any analytics view and press “Schedule as report…” to start from its question</span>
        </div>
        {message && <p className="notice" role="status">{message}</p>}
        <Status error={error} />
        <Status loading={reports.loading && !reports.data} error={reports.error} empty={!!reports.data && list.length === 0}
          emptyText="No scheduled reports yet." />
        {list.length > 0 && <DataTable label="Reports" columns={columns} rows={list} rowKey={(r) => r.reportId} />}
      </div>
      {chosen && <Deliveries key={`${chosen.reportId}-${deliveriesVersion}`} report={chosen} />}
    </>
  );
}

function ReportEditor({ initial, id, onDone }: { initial: ReportForm; id?: string; onDone: (saved?: Report) => void }) {
  const [form, setForm] = useState(initial);
  const [requestText, setRequestText] = useState(initial.request ? JSON.stringify(initial.request, null, 2) : '{}');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const kind = KINDS.find((k) => k.kind === form.kind)!;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const pointers = [...(problem?.pointer ? [{ pointer: problem.pointer, reason: problem.detail ?? problem.title ?? '' }] : []), ...(problem?.errors ?? [])];
  const reasonFor = (field: string) => pointers.find((p) => fieldOf(p.pointer) === field)?.reason;
  const mark = (field: string) => (reasonFor(field) ? { 'aria-invalid': true, 'aria-describedby': `report-${field.replace('.', '-')}-error` } : {});
  const reasonAt = (field: string) => {
    const reason = reasonFor(field);
    return reason ? <span className="field-error" role="alert" id={`report-${field.replace('.', '-')}-error`}>{reason}</span> : null;
  };
  const setSchedule = (patch: Partial<ReportForm['schedule']>) => setForm({ ...form, schedule: { ...form.schedule, ...patch } });

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    let request = form.request;
    if (takesRequest(form.kind)) {
      try {
        request = JSON.parse(requestText) as Record<string, unknown>;
      } catch (e) {
        setError(new ApiError(400, { title: 'Invalid report', pointer: '/request', detail: `the question is not JSON: ${(e as Error).message}` }));
        return;
      }
    }
    setBusy(true);
    try {
      const body = reportRequest({ ...form, request });
      onDone(id ? await put<Report>(`/v1/analytics/reports/${id}`, body) : await post<Report>('/v1/analytics/reports', body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card editor" aria-label={id ? 'Edit report' : 'New report'} onSubmit={save}>
      <h2>{id ? `Edit ${initial.name}` : 'New report'}</h2>
      <div className="form-grid">
        <label htmlFor="report-name">Name</label>
        <span><input id="report-name" size={40} value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} {...mark('name')} />
          {reasonAt('name')}</span>
        <label htmlFor="report-kind">Question</label>
        <span>
          <select id="report-kind" value={form.kind} {...mark('kind')}
            onChange={(e) => setForm({ ...form, kind: e.target.value as ReportKind, parameters: {} })}>
            {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
          </select>
          {kind.parameters.map((p) => (
            <span key={p.name} className="field">
              <label htmlFor={`report-parameter-${p.name}`}>{p.label}</label>
              {p.options ? (
                <select id={`report-parameter-${p.name}`} value={form.parameters[p.name] ?? ''} {...mark(`parameters.${p.name}`)}
                  onChange={(e) => setForm({ ...form, parameters: { ...form.parameters, [p.name]: e.target.value } })}>
                  {(p.options.includes('') ? p.options : ['', ...p.options]).map((o) => <option key={o} value={o}>{o || 'default'}</option>)}
                </select>
              ) : (
                <input id={`report-parameter-${p.name}`} size={p.numeric ? 5 : 14} value={form.parameters[p.name] ?? ''} placeholder="default"
                  inputMode={p.numeric ? 'numeric' : undefined} {...mark(`parameters.${p.name}`)}
                  onChange={(e) => setForm({ ...form, parameters: { ...form.parameters, [p.name]: e.target.value } })} />
              )}
              {reasonAt(`parameters.${p.name}`)}
            </span>
          ))}
          {reasonAt('kind')}
        </span>
        {takesRequest(form.kind) && (
          <>
            <label htmlFor="report-request">{kindLabel(form.kind)} (JSON)</label>
            <span><textarea id="report-request" rows={6} cols={70} value={requestText} onChange={(e) => setRequestText(e.target.value)} {...mark('request')} />
              {reasonAt('request')}<br /><span className="muted">the question as the view asked it; its dates are replaced by the report's range</span></span>
          </>
        )}
        <label htmlFor="report-days">Range</label>
        <span>
          last <input id="report-days" size={4} inputMode="numeric" value={form.lastDays} onChange={(e) => setForm({ ...form, lastDays: e.target.value })} {...mark('lastDays')} /> days
          {' '}<select aria-label="Range ends" value={form.anchor} onChange={(e) => setForm({ ...form, anchor: e.target.value as ReportForm['anchor'] })} {...mark('anchor')}>
            <option value="today">before today</option>
            <option value="data">up to the last day with data</option>
          </select>
          {reasonAt('lastDays')}{reasonAt('anchor')}
        </span>
        <label htmlFor="report-format">Format</label>
        <span>
          <select id="report-format" value={form.format} onChange={(e) => setForm({ ...form, format: e.target.value as ReportForm['format'] })} {...mark('format')}>
            <option value="pdf">PDF</option>
            <option value="csv">CSV</option>
          </select>
          {reasonAt('format')}
        </span>
        <label htmlFor="report-frequency">Schedule</label>
        <span>
          <select id="report-frequency" value={form.schedule.frequency} onChange={(e) => setSchedule({ frequency: e.target.value as Frequency, cron: form.schedule.cron || '0 0 8 * * MON' })} {...mark('cron')}>
            <option value="daily">every day</option>
            <option value="weekly">every week</option>
            <option value="monthly">every month</option>
            <option value="custom">cron expression</option>
          </select>
          {form.schedule.frequency === 'weekly' && (
            <select aria-label="Weekday" value={form.schedule.weekday} onChange={(e) => setSchedule({ weekday: e.target.value })}>
              {WEEKDAYS.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          )}
          {form.schedule.frequency === 'monthly' && (
            <>{' '}on day <input aria-label="Day of the month" size={3} type="number" min={1} max={28} value={form.schedule.day}
              onChange={(e) => setSchedule({ day: Number(e.target.value) })} /></>
          )}
          {form.schedule.frequency === 'custom' ? (
            <>{' '}<input aria-label="Cron expression" size={20} value={form.schedule.cron} placeholder="0 0 8 * * MON" onChange={(e) => setSchedule({ cron: e.target.value })} {...mark('cron')} />
              <span className="muted"> Spring cron, seconds first</span></>
          ) : (
            <>{' '}at <input aria-label="Time (UTC)" type="time" value={`${String(form.schedule.hour).padStart(2, '0')}:${String(form.schedule.minute).padStart(2, '0')}`}
              onChange={(e) => { const [h, m] = e.target.value.split(':').map(Number); if (!Number.isNaN(h) && !Number.isNaN(m)) setSchedule({ hour: h, minute: m }); }} /> UTC</>
          )}
          {reasonAt('cron')}
        </span>
        <label htmlFor="report-recipients">Recipients</label>
        <span><textarea id="report-recipients" rows={2} cols={50} value={form.recipients} placeholder="ops@shop.example, ceo@shop.example" required
          onChange={(e) => setForm({ ...form, recipients: e.target.value })} {...mark('recipients')} />
          {reasonAt('recipients')}</span>
        <span />
        <label className="inline"><input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> send on schedule (untick to pause)</label>
      </div>
      <p className="muted">{describeSchedule(reportRequest({ ...form, request: form.request }).cron)}; the question is answered once on saving, so a bad one is refused now.</p>
      <Status error={error} />
      <div className="row">
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : id ? 'Save report' : 'Create report'}</button>
        <button type="button" className="secondary" onClick={() => onDone()}>Cancel</button>
      </div>
    </form>
  );
}

function Deliveries({ report }: { report: Report }) {
  const deliveries = useLoad<Delivery[]>(() => get(`/v1/analytics/reports/${report.reportId}/deliveries?limit=50`), [report.reportId]);
  const columns: Column<Delivery>[] = [
    { key: 'startedAt', label: 'When', render: (d) => formatTime(d.startedAt) },
    { key: 'trigger', label: 'Trigger' },
    { key: 'status', label: 'Status', render: (d) => <span className={`tag run-${d.status === 'sent' ? 'succeeded' : 'failed'}`}>{d.status}</span> },
    { key: 'recipients', label: 'Recipients', numeric: true },
    { key: 'bytes', label: 'Size', numeric: true, render: (d) => (d.bytes === null || d.bytes === undefined ? '—' : `${count(d.bytes)} B`) },
    { key: 'range', label: 'Range', sortValue: (d) => d.rangeFrom ?? null,
      render: (d) => (d.rangeFrom && d.rangeTo ? `${d.rangeFrom.slice(0, 10)} – ${new Date(Date.parse(d.rangeTo) - 1).toISOString().slice(0, 10)}` : '') },
    { key: 'error', label: 'Error', render: (d) => (d.error ? <span className="field-error">{d.error}</span> : '') },
  ];
  return (
    <div className="card" role="region" aria-label={`Deliveries of ${report.name}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>Deliveries of {report.name}</h2>
        <span className="muted">{describeQuestion(report)} · created by {report.createdBy ?? '—'} {formatTime(report.createdAt)}</span>
      </div>
      <Status loading={deliveries.loading} error={deliveries.error} empty={deliveries.data?.length === 0} emptyText="Not sent yet." />
      {deliveries.data && deliveries.data.length > 0 && (
        <DataTable label={`Deliveries of ${report.name}`} columns={columns} rows={deliveries.data} rowKey={(d) => d.deliveryId} />
      )}
    </div>
  );
}
