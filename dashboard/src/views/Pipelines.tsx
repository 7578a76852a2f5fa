import { FormEvent, useState } from 'react';
import { ApiError, can, get, patch, post, remove } from '../api';
import {
  Connector, connectorForm, ConnectorForm, createRequest, inputId, newConnector, SCHEDULES, specOf, updateRequest,
} from '../connectors';
import { count } from '../format';
import { active, ConnectorRun, JobRun, progressOf } from '../poll';
import { Column, DataTable, FieldError, formatTime, invalid, Progress, Status, useLoad, usePolling } from '../ui';

const duration = (from?: string | null, to?: string | null) =>
  from && to ? `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s` : '—';

/** Pipelines: the workspace's connectors and batch jobs, their runs, and running them now. */
export function Pipelines() {
  const connectors = can('connectors:read');
  const jobs = can('analytics:read');
  return (
    <>
      <h1>Pipelines</h1>
      {connectors && <Connectors />}
      {jobs && <Jobs />}
    </>
  );
}

function RunStatus({ run }: { run?: { status: string; error?: string | null } | null }) {
  if (!run) return <span className="muted">never run</span>;
  return <span className={`tag run-${run.status}`} title={run.error ?? undefined}>{run.status}</span>;
}

function Connectors() {
  const manage = can('connectors:manage');
  const list = useLoad<{ items: Connector[]; total: number }>(() => get('/v1/connectors?limit=100'), []);
  const [editing, setEditing] = useState<{ form: ConnectorForm; id?: string; credentialsSet?: string[] } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const items = list.data?.items ?? [];
  const running = items.some((c) => active(c.lastRun));
  // a run queued or going: ask again until it is over (the scheduler picks queued runs up within seconds)
  usePolling(running, list.refresh, 1500, list.data);

  async function act(work: () => Promise<unknown>, done: string) {
    setError(undefined);
    setMessage('');
    try {
      await work();
      setMessage(done);
      list.refresh();
    } catch (e) {
      setError(e);
    }
  }

  const columns: Column<Connector>[] = [
    { key: 'name', label: 'Name', render: (c) => (
      <button type="button" className="link" aria-pressed={selected === c.id} onClick={() => setSelected(selected === c.id ? null : c.id)}>{c.name}</button>
    ) },
    { key: 'kind', label: 'Kind', render: (c) => specOf(c.kind).label },
    { key: 'status', label: 'Status', render: (c) => (
      <span className={`tag connector-${c.status}`} title={c.pausedReason ?? undefined}>{c.status}
        {c.pausedUntil ? ` until ${formatTime(c.pausedUntil)}` : ''}</span>
    ) },
    { key: 'schedule', label: 'Schedule', render: (c) => <code>{c.schedule}</code> },
    { key: 'nextRunAt', label: 'Next run', render: (c) => (c.status === 'paused' ? '—' : formatTime(c.nextRunAt ?? undefined)) },
    { key: 'lastRun', label: 'Last run', sortValue: (c) => c.lastRun?.requestedAt ?? null, render: (c) => (
      <span><RunStatus run={c.lastRun} />{c.lastRun && <> {count(c.lastRun.rows)} rows{c.lastRun.rejected ? `, ${count(c.lastRun.rejected)} rejected` : ''}
        {' '}<span className="muted">{formatTime(c.lastRun.finishedAt ?? c.lastRun.startedAt ?? c.lastRun.requestedAt)}</span></>}</span>
    ) },
    ...(manage ? [{
      key: 'actions', label: 'Actions', sortValue: () => 0, render: (c: Connector) => (
        <span className="row-actions">
          <button type="button" className="secondary small" disabled={c.status === 'paused' || active(c.lastRun)}
            aria-label={`Run ${c.name} now`} onClick={() => act(async () => { await post(`/v1/connectors/${c.id}/runs`); setSelected(c.id); }, `${c.name}: run queued.`)}>Run now</button>
          <button type="button" className="secondary small" aria-label={`Check the connection of ${c.name}`}
            onClick={() => act(async () => {
              const check = await post<{ ok: boolean; error?: string }>(`/v1/connectors/${c.id}/test`);
              if (!check.ok) throw new ApiError(502, { title: 'Connection refused', detail: check.error ?? 'the source said no' });
            }, `${c.name}: the source accepted the connection.`)}>Check</button>
          {c.status === 'paused'
            ? <button type="button" className="secondary small" aria-label={`Resume ${c.name}`} onClick={() => act(() => post(`/v1/connectors/${c.id}/resume`), `${c.name} resumed.`)}>Resume</button>
            : <button type="button" className="secondary small" aria-label={`Pause ${c.name}`} onClick={() => act(() => post(`/v1/connectors/${c.id}/pause`, { reason: 'paused in the dashboard' }), `${c.name} paused.`)}>Pause</button>}
          <button type="button" className="secondary small" aria-label={`Edit ${c.name}`}
            onClick={() => setEditing({ form: connectorForm(c), id: c.id, credentialsSet: c.credentialsSet })}>Edit</button>
          <button type="button" className="secondary small danger" aria-label={`Delete ${c.name}`}
            onClick={() => { if (window.confirm(`Delete the connector “${c.name}” and its run history? Data it imported stays.`)) void act(() => remove(`/v1/connectors/${c.id}`), `${c.name} deleted.`); }}>Delete</button>
        </span>
      ),
    }] : []),
  ];

  const chosen = items.find((c) => c.id === selected);
  return (
    <div className="card" role="region" aria-label="Connectors">
      <div className="row">
        <h2 style={{ margin: 0 }}>Connectors</h2>
        {manage && !editing && <button type="button" onClick={() => setEditing({ form: newConnector('file-drop') })}>New connector</button>}
        {running && <span className="muted" role="status">a run is going · refreshing</span>}
      </div>
      {editing && (
        <ConnectorEditor key={editing.id ?? 'new'} initial={editing.form} id={editing.id} credentialsSet={editing.credentialsSet ?? []}
          onDone={(saved) => { setEditing(null); if (saved) { setSelected(saved.id); setMessage(`${saved.name} saved.`); } list.refresh(); }} />
      )}
      {message && <p className="notice" role="status">{message}</p>}
      <Status error={error} />
      <Status loading={list.loading && !list.data} error={list.error} empty={!!list.data && items.length === 0}
        emptyText={manage ? 'No connectors yet: “New connector” pulls ad spend, shop orders or files into the platform.' : 'No connectors yet.'} />
      {items.length > 0 && <DataTable label="Connectors" columns={columns} rows={items} rowKey={(c) => c.id} />}
      {chosen && <ConnectorDetail key={chosen.id} connector={chosen} />}
    </div>
  );
}

function ConnectorEditor({ initial, id, credentialsSet, onDone }: {
  initial: ConnectorForm; id?: string; credentialsSet: string[]; onDone: (saved?: Connector) => void;
}) {
  const kinds = useLoad<string[]>(() => get('/v1/connectors/kinds'), []);
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const spec = specOf(form.kind);
  const setSetting = (name: string, value: string) => setForm({ ...form, settings: { ...form.settings, [name]: value } });

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const built = id ? updateRequest(form) : createRequest(form);
    if (built.errors.length > 0 || !built.request) {
      setError(new ApiError(400, { title: 'Invalid connector', detail: `${built.errors.length} field(s) are invalid`, errors: built.errors }));
      return;
    }
    setBusy(true);
    try {
      const saved = id ? await patch<Connector>(`/v1/connectors/${id}`, built.request) : await post<Connector>('/v1/connectors', built.request);
      onDone(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const offered = kinds.data ?? [];
  const field = (name: string) => ({ id: inputId(name), ...invalid(error, name, `${inputId(name)}-error`) });
  return (
    <form className="editor" aria-label={id ? 'Edit connector' : 'New connector'} onSubmit={save}>
      <h3>{id ? `Edit ${initial.name}` : 'New connector'}</h3>
      <div className="form-grid">
        <label htmlFor={inputId('kind')}>Kind</label>
        <span>
          <select {...field('kind')} value={form.kind} disabled={!!id}
            onChange={(e) => setForm({ ...newConnector(e.target.value), name: form.name, schedule: form.schedule })}>
            {(offered.length ? offered : [form.kind]).map((k) => <option key={k} value={k}>{specOf(k).label}</option>)}
          </select>
          <span className="muted"> {spec.description}</span>
          <FieldError error={error} pointer="kind" id={`${inputId('kind')}-error`} />
        </span>
        <label htmlFor={inputId('name')}>Name</label>
        <span><input {...field('name')} value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <FieldError error={error} pointer="name" id={`${inputId('name')}-error`} /></span>
        <label htmlFor={inputId('schedule')}>Schedule</label>
        <span>
          <input {...field('schedule')} list="connector-schedules" value={form.schedule} size={16}
            onChange={(e) => setForm({ ...form, schedule: e.target.value })} />
          <datalist id="connector-schedules">{SCHEDULES.map((s) => <option key={s.cron} value={s.cron}>{s.label}</option>)}</datalist>
          <span className="muted"> cron, five fields, UTC ({SCHEDULES.find((s) => s.cron === form.schedule)?.label ?? 'custom'})</span>
          <FieldError error={error} pointer="schedule" id={`${inputId('schedule')}-error`} />
        </span>
        {spec.settings.length === 0 && (
          <>
            <label htmlFor={inputId('settings')}>Settings (JSON)</label>
            <span><textarea {...field('settings')} rows={6} cols={60} value={form.rawSettings ?? '{}'}
              onChange={(e) => setForm({ ...form, rawSettings: e.target.value })} />
              <FieldError error={error} pointer="settings" id={`${inputId('settings')}-error`} /></span>
          </>
        )}
        {spec.settings.filter((f) => !f.when || f.when(form.settings)).map((f) => {
          const name = `settings.${f.name}`;
          const value = form.settings[f.name] ?? '';
          return [
            <label key={`${f.name}-label`} htmlFor={inputId(name)}>{f.label}{f.required ? ' *' : ''}</label>,
            <span key={f.name}>
              {f.type === 'select' ? (
                <select {...field(name)} value={value || (f.options?.[0] ?? '')} onChange={(e) => setSetting(f.name, e.target.value)}>
                  {f.options!.map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
              ) : f.type === 'json' ? (
                <textarea {...field(name)} rows={8} cols={60} value={value} onChange={(e) => setSetting(f.name, e.target.value)}
                  placeholder='{"type":"track","event":"Order Completed","userId":"customer_id","timestamp":"invoice_date"}' />
              ) : (
                <input {...field(name)} type={f.type === 'date' ? 'date' : 'text'} inputMode={f.type === 'integer' ? 'numeric' : undefined}
                  value={value} placeholder={f.placeholder} size={f.type === 'list' ? 40 : 24} required={f.required}
                  onChange={(e) => setSetting(f.name, e.target.value)} />
              )}
              {f.hint && <span className="muted"> {f.hint}</span>}
              <FieldError error={error} pointer={name} id={`${inputId(name)}-error`} />
            </span>,
          ];
        })}
        {spec.credentials.filter((c) => !c.when || c.when(form.settings)).map((c) => {
          const name = `credentials.${c.name}`;
          const stored = credentialsSet.includes(c.name);
          const removing = form.removeCredentials.includes(c.name);
          return [
            <label key={`${c.name}-label`} htmlFor={inputId(name)}>{c.label}{c.required && !stored ? ' *' : ''}</label>,
            <span key={c.name}>
              <input {...field(name)} type="password" autoComplete="off" size={32} value={form.credentials[c.name] ?? ''}
                placeholder={stored ? 'stored — type to replace' : ''} required={c.required && !stored && !id}
                onChange={(e) => setForm({ ...form, credentials: { ...form.credentials, [c.name]: e.target.value } })} />
              {stored && !c.required && (
                <label className="inline"><input type="checkbox" checked={removing}
                  onChange={(e) => setForm({ ...form, removeCredentials: e.target.checked ? [...form.removeCredentials, c.name] : form.removeCredentials.filter((n) => n !== c.name) })} /> remove</label>
              )}
              <FieldError error={error} pointer={name} id={`${inputId(name)}-error`} />
            </span>,
          ];
        })}
      </div>
      {Object.keys(form.other).length > 0 && (
        <p className="muted">Kept as they are: <code>{JSON.stringify(form.other)}</code></p>
      )}
      <p className="muted">Credentials are stored encrypted and never shown again{id ? '; leave a field empty to keep the stored one' : ''}.</p>
      <Status error={error} />
      <div className="row">
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : id ? 'Save changes' : 'Create connector'}</button>
        <button type="button" className="secondary" onClick={() => onDone()}>Cancel</button>
      </div>
    </form>
  );
}

/** A connector's settings, stored credential names and run history, a page at a time. */
function ConnectorDetail({ connector }: { connector: Connector }) {
  const [offset, setOffset] = useState(0);
  const runs = useLoad<{ items: ConnectorRun[]; total: number; limit: number }>(
    () => get(`/v1/connectors/${connector.id}/runs?limit=10&offset=${offset}`), [connector.id, offset]);
  const going = (runs.data?.items ?? []).some(active) || active(connector.lastRun);
  usePolling(going, runs.refresh, 1500, runs.data);
  const columns: Column<ConnectorRun>[] = [
    { key: 'requestedAt', label: 'Requested', render: (r) => formatTime(r.requestedAt) },
    { key: 'trigger', label: 'Trigger' },
    { key: 'status', label: 'Status', render: (r) => <RunStatus run={r} /> },
    { key: 'duration', label: 'Took', sortValue: (r) => (r.finishedAt && r.startedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : null), render: (r) => duration(r.startedAt, r.finishedAt) },
    { key: 'rows', label: 'Rows', numeric: true, render: (r) => count(r.rows) },
    { key: 'rejected', label: 'Rejected', numeric: true, render: (r) => count(r.rejected) },
    { key: 'pages', label: 'Pages / files', numeric: true, render: (r) => count(r.pages) },
    { key: 'retries', label: 'Retries', numeric: true, render: (r) => count(r.retries) },
    { key: 'watermarkAfter', label: 'Read up to', render: (r) => <code>{r.watermarkAfter ?? r.watermarkBefore ?? ''}</code> },
    { key: 'error', label: 'Error', render: (r) => (r.error ? <span className="field-error">{r.error}</span> : '') },
  ];
  const total = runs.data?.total ?? 0;
  return (
    <div className="detail" role="region" aria-label={`Connector ${connector.name}`}>
      <h3>{connector.name} <span className="muted">· {specOf(connector.kind).label}</span></h3>
      <p className="muted">
        Settings <code>{JSON.stringify(connector.settings)}</code> · credentials stored: {connector.credentialsSet.length ? connector.credentialsSet.join(', ') : 'none'}
        {connector.watermark && <> · read up to <code>{connector.watermark}</code></>}
        {connector.pausedReason && <> · paused: {connector.pausedReason}</>}
      </p>
      <h4>Runs</h4>
      <Status loading={runs.loading && !runs.data} error={runs.error} empty={runs.data?.items.length === 0} emptyText="No runs yet." />
      {runs.data && runs.data.items.length > 0 && (
        <DataTable label={`Runs of ${connector.name}`} columns={columns} rows={runs.data.items} rowKey={(r) => r.id} pageSize={10} />
      )}
      {total > 10 && (
        <div className="row pager">
          <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 10))}>Newer</button>
          <span className="muted">{offset + 1}–{Math.min(offset + 10, total)} of {total}</span>
          <button type="button" className="secondary" disabled={offset + 10 >= total} onClick={() => setOffset(offset + 10)}>Older</button>
        </div>
      )}
    </div>
  );
}

interface Job {
  name: string; description: string; schedule?: { cron: string; zone: string; enabled: boolean }; nextRunAt?: string;
  supportsDateRange: boolean; parameters: { name: string; type: 'integer' | 'number' | 'string' | 'boolean'; description: string }[];
  lastRun?: JobRun;
}

function Jobs() {
  const run = can('jobs:run');
  const jobs = useLoad<{ jobs: Job[] }>(() => get('/v1/jobs'), []);
  const [selected, setSelected] = useState<string | null>(null);
  const list = jobs.data?.jobs ?? [];
  const going = list.some((j) => active(j.lastRun));
  usePolling(going, jobs.refresh, 1500, jobs.data);
  const columns: Column<Job>[] = [
    { key: 'name', label: 'Job', render: (j) => (
      <button type="button" className="link" aria-pressed={selected === j.name} onClick={() => setSelected(selected === j.name ? null : j.name)}>{j.name}</button>
    ) },
    { key: 'description', label: 'What it does', render: (j) => <span className="muted">{j.description}</span> },
    { key: 'schedule', label: 'Schedule', render: (j) => (j.schedule ? <><code>{j.schedule.cron}</code> {j.schedule.zone}{j.schedule.enabled ? '' : ' (schedules off)'}</> : 'manual only') },
    { key: 'nextRunAt', label: 'Next run', render: (j) => formatTime(j.nextRunAt) },
    { key: 'lastRun', label: 'Last run', sortValue: (j) => j.lastRun?.queuedAt ?? null, render: (j) => (j.lastRun ? <RunCell run={j.lastRun} /> : <span className="muted">never run</span>) },
  ];
  const chosen = list.find((j) => j.name === selected);
  return (
    <div className="card" role="region" aria-label="Batch jobs">
      <div className="row">
        <h2 style={{ margin: 0 }}>Batch jobs</h2>
        {going && <span className="muted" role="status">a job is running · refreshing</span>}
      </div>
      <Status loading={jobs.loading && !jobs.data} error={jobs.error} empty={!!jobs.data && list.length === 0} emptyText="No batch jobs." />
      {list.length > 0 && <DataTable label="Batch jobs" columns={columns} rows={list} rowKey={(j) => j.name} />}
      {chosen && <JobDetail key={chosen.name} job={chosen} canRun={run} onRun={() => jobs.refresh()} />}
    </div>
  );
}

function RunCell({ run }: { run: JobRun }) {
  if (active(run)) {
    const p = progressOf(run);
    return <Progress fraction={p.fraction} label={p.label} />;
  }
  return (
    <span><RunStatus run={run} /> {formatTime(run.finishedAt ?? run.queuedAt)}
      {run.durationMs !== undefined && <span className="muted"> · {(run.durationMs / 1000).toFixed(1)} s</span>}
      {run.status === 'failed' && run.error && <span className="field-error"> {run.errorType ? `${run.errorType}: ` : ''}{run.error}</span>}</span>
  );
}

/** A job's run history (cursor paging), and "Run now" with its parameters and, where it takes one, a date range. */
function JobDetail({ job, canRun, onRun }: { job: Job; canRun: boolean; onRun: () => void }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const runs = useLoad<{ runs: JobRun[]; nextCursor?: string }>(
    () => get(`/v1/jobs/${job.name}/runs?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), [job.name, cursor]);
  const going = (runs.data?.runs ?? []).some(active);
  usePolling(going, runs.refresh, 1500, runs.data);
  const [parameters, setParameters] = useState<Record<string, string>>({});
  const [range, setRange] = useState({ from: '', to: '' });
  const [error, setError] = useState<unknown>();

  async function start(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const values: Record<string, unknown> = {};
    for (const p of job.parameters) {
      const text = (parameters[p.name] ?? '').trim();
      if (text === '') continue;
      values[p.name] = p.type === 'boolean' ? text === 'true' : (p.type === 'integer' || p.type === 'number') && !Number.isNaN(Number(text)) ? Number(text) : text;
    }
    const body = {
      ...(Object.keys(values).length ? { parameters: values } : {}),
      ...(job.supportsDateRange && range.from ? { from: range.from } : {}),
      ...(job.supportsDateRange && range.to ? { to: range.to } : {}),
    };
    try {
      await post(`/v1/jobs/${job.name}/runs`, Object.keys(body).length ? body : undefined);
      setCursors([undefined]);
      runs.refresh();
      onRun();
    } catch (e) {
      setError(e);
    }
  }

  const columns: Column<JobRun>[] = [
    { key: 'queuedAt', label: 'Queued', render: (r) => formatTime(r.queuedAt) },
    { key: 'trigger', label: 'Trigger', render: (r) => `${r.trigger}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}` },
    { key: 'status', label: 'Status', render: (r) => <RunCell run={r} /> },
    { key: 'rowsIn', label: 'Rows in', numeric: true, render: (r) => (r.rowsIn === undefined ? '—' : count(r.rowsIn)) },
    { key: 'rowsOut', label: 'Rows out', numeric: true, render: (r) => (r.rowsOut === undefined ? '—' : count(r.rowsOut)) },
    { key: 'range', label: 'Range', render: (r) => (r.from || r.to ? `${r.from ?? '…'} – ${r.to ?? '…'}` : '') },
    { key: 'result', label: 'Result', render: (r) => (r.result ? <span title={JSON.stringify(r.result)}>{resultSummary(r.result)}</span> : '') },
  ];
  return (
    <div className="detail" role="region" aria-label={`Job ${job.name}`}>
      <h3>{job.name}</h3>
      {canRun && (
        <form className="row" aria-label={`Run ${job.name}`} onSubmit={start}>
          {job.parameters.map((p) => (
            <span key={p.name} className="field">
              <label htmlFor={`job-${job.name}-${p.name}`} title={p.description}>{p.name}</label>
              {p.type === 'boolean' ? (
                <select id={`job-${job.name}-${p.name}`} value={parameters[p.name] ?? ''} onChange={(e) => setParameters({ ...parameters, [p.name]: e.target.value })}
                  {...invalid(error, p.name, `job-${p.name}-error`)}>
                  <option value="">default</option><option value="true">yes</option><option value="false">no</option>
                </select>
              ) : (
                <input id={`job-${job.name}-${p.name}`} size={8} value={parameters[p.name] ?? ''} placeholder="default" title={p.description}
                  onChange={(e) => setParameters({ ...parameters, [p.name]: e.target.value })} {...invalid(error, p.name, `job-${p.name}-error`)} />
              )}
            </span>
          ))}
          {job.supportsDateRange && (
            <>
              <label htmlFor={`job-${job.name}-from`}>from</label>
              <input id={`job-${job.name}-from`} type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
              <label htmlFor={`job-${job.name}-to`}>to</label>
              <input id={`job-${job.name}-to`} type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
            </>
          )}
          <button type="submit" disabled={going}>{going ? 'Running…' : `Run ${job.name} now`}</button>
        </form>
      )}
      <Status error={error} />
      <Status loading={runs.loading && !runs.data} error={runs.error} empty={runs.data?.runs.length === 0} emptyText="No runs yet." />
      {runs.data && runs.data.runs.length > 0 && <DataTable label={`Runs of ${job.name}`} columns={columns} rows={runs.data.runs} rowKey={(r) => r.runId} pageSize={10} />}
      <div className="row pager">
        <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <button type="button" className="secondary" disabled={!runs.data?.nextCursor} onClick={() => setCursors([...cursors, runs.data!.nextCursor])}>Older</button>
      </div>
    </div>
  );
}


/** A run's summary in a line: its plain values (`versionId …`, `customers 4334`), the nested ones in the tooltip. */
export function resultSummary(result: Record<string, unknown>): string {
  return Object.entries(result)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`)
    .join(' · ');
}
