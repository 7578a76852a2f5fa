import { FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, can, get, post, put } from '../api';
import { count, percent } from '../format';
import { followRun, JobRun, PollAborted, pollUntil, progressOf } from '../poll';
import {
  actionsOf, Feedback, lift, Lookup, LOOKUPS, METRICS, metricsTable, ModelList, ModelVersion, previewPath, PreviewFilters,
  REASONS, Recommendations as Answer, similarPath,
} from '../recommendations';
import { Chart, Column, DataTable, formatTime, Progress, Status, useLoad } from '../ui';

const short = (id?: string | null) => (id ? id.slice(0, 8) : '—');
const metric = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '—' : n.toFixed(digits));

/**
 * Recommendations: the model versions with their hold-out metrics, status and promotion
 * decision; training on demand with its progress; pin, unpin, promote and roll back; a preview
 * for a profile and similar items; click-through and conversion per version; the workspace's settings.
 */
export function Recommendations() {
  const models = useLoad<ModelList>(() => get('/v1/recommendations/models?limit=50'), []);
  const feedback = useLoad<{ versions: Feedback[] }>(() => get('/v1/recommendations/feedback'), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState('');
  const manage = can('jobs:run');
  const list = models.data;
  const version = list?.versions.find((v) => v.versionId === selected) ?? list?.versions[0];

  async function act(label: string, path: string) {
    setBusy(label);
    setError(undefined);
    try {
      await post(path);
      models.refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  }

  const columns: Column<ModelVersion>[] = [
    { key: 'trainedAt', label: 'Trained', render: (v) => formatTime(v.trainedAt) },
    { key: 'versionId', label: 'Version', render: (v) => (
      <button type="button" className="link" onClick={() => setSelected(v.versionId)} aria-pressed={v.versionId === version?.versionId}
        aria-label={`Show version ${short(v.versionId)}`}><code>{short(v.versionId)}</code></button>
    ) },
    { key: 'status', label: 'Status', render: (v) => (
      <span className={`tag status-${v.status}`}>{v.status}{v.pinned ? ' · pinned' : ''}{v.loaded ? ' · in memory' : ''}</span>
    ) },
    { key: 'ndcg', label: 'NDCG@10', numeric: true, sortValue: (v) => v.metrics?.als?.ndcg ?? null, render: (v) => metric(v.metrics?.als?.ndcg) },
    { key: 'lift', label: 'vs popularity', numeric: true, sortValue: (v) => lift(v), render: (v) => (lift(v) === null ? '—' : `${lift(v)!.toFixed(2)}×`) },
    { key: 'interactions', label: 'Interactions', numeric: true, render: (v) => count(v.interactions) },
    { key: 'users', label: 'Customers', numeric: true, render: (v) => count(v.users) },
    { key: 'items', label: 'Items', numeric: true, render: (v) => count(v.items) },
    { key: 'decision', label: 'Decision', render: (v) => <span className="decision">{v.decision ?? (v.status === 'candidate' ? 'waiting for a decision' : '—')}</span> },
    ...(manage ? [{
      key: 'actions', label: 'Actions', sortValue: () => 0, render: (v: ModelVersion) => {
        const allowed = actionsOf(v, list!);
        return (
          <span className="row-actions">
            {allowed.promote && <button type="button" className="secondary small" disabled={!!busy}
              onClick={() => act('promote', `/v1/recommendations/models/${v.versionId}/promote`)}>Promote</button>}
            {allowed.pin && <button type="button" className="secondary small" disabled={!!busy}
              onClick={() => act('pin', `/v1/recommendations/models/${v.versionId}/pin`)}>Pin</button>}
            {allowed.unpin && <button type="button" className="secondary small" disabled={!!busy}
              onClick={() => act('unpin', `/v1/recommendations/models/${v.versionId}/unpin`)}>Unpin</button>}
          </span>
        );
      },
    }] : []),
  ];

  return (
    <>
      <h1>Recommendations</h1>
      {manage && <TrainNow onModels={(next) => { models.refresh(); feedback.refresh(); setSelected(next); }} policy={list?.promotionPolicy} />}
      <div className="card">
        <div className="row">
          <h2 style={{ margin: 0 }}>Model versions</h2>
          {list && (
            <span className="muted">
              policy <strong>{list.promotionPolicy}</strong> · serving <code>{short(list.servingVersionId)}</code>
              {list.loadedVersionId !== list.servingVersionId && <> · in memory <code>{short(list.loadedVersionId)}</code> (loading)</>}
            </span>
          )}
          {manage && list?.servingVersionId && (
            <button type="button" className="secondary" disabled={!!busy}
              onClick={() => act('rollback', '/v1/recommendations/models/rollback')}>Roll back</button>
          )}
          <button type="button" className="secondary" onClick={() => { models.reload(); feedback.reload(); }}>Refresh</button>
        </div>
        <Status error={error} />
        <Status loading={models.loading && !list} error={models.error}
          empty={!!list && list.versions.length === 0}
          emptyText="No model trained yet: until one is, answers are the workspace's popular items. Train one with “Train now” (needs purchases in the lake)." />
        {list && list.versions.length > 0 && (
          <DataTable label="Model versions" columns={columns} rows={list.versions} rowKey={(v) => v.versionId} pageSize={10} />
        )}
      </div>
      {version && <VersionDetail version={version} feedback={feedback.data?.versions.find((f) => f.versionId === version.versionId)} />}
      <div className="grid">
        <Preview onAnswer={feedback.refresh} />
        <Similar />
      </div>
      <FeedbackTable feedback={feedback} />
      <SettingsCard manage={manage} />
    </>
  );
}

/** "Train now": queues the training job, follows its run, then waits for the promotion decision on the new version. */
function TrainNow({ onModels, policy }: { onModels: (versionId: string | null) => void; policy?: string }) {
  const [run, setRun] = useState<JobRun | null>(null);
  const [phase, setPhase] = useState<'idle' | 'training' | 'deciding' | 'done'>('idle');
  const [decided, setDecided] = useState<ModelVersion | null>(null);
  const [error, setError] = useState<unknown>();
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);

  async function train() {
    stop.current?.abort();
    const controller = new AbortController();
    stop.current = controller;
    setError(undefined);
    setDecided(null);
    setPhase('training');
    try {
      let runId: string;
      try {
        const queued = await post<JobRun>('/v1/jobs/recommendations/runs');
        setRun(queued);
        runId = queued.runId;
      } catch (e) {
        // one at a time: a run already going is followed instead
        const active = e instanceof ApiError && e.status === 409 ? (e.problem as { activeRunId?: string }).activeRunId : undefined;
        if (!active) throw e;
        runId = active;
      }
      const finished = await followRun(runId, (id) => get<JobRun>(`/v1/jobs/runs/${id}`), setRun, { interval: 1500, signal: controller.signal });
      if (finished.status !== 'succeeded') {
        setPhase('done');
        return;
      }
      const versionId = String(finished.result?.versionId ?? finished.runId);
      onModels(versionId);
      setPhase('deciding');
      const list = await pollUntil(() => get<ModelList>('/v1/recommendations/models?limit=50'),
        (l) => l.versions.some((v) => v.versionId === versionId && (v.status !== 'candidate' || l.promotionPolicy === 'manual')
          && (v.status !== 'serving' || v.loaded)),
        () => undefined, { interval: 2000, signal: controller.signal });
      setDecided(list.versions.find((v) => v.versionId === versionId) ?? null);
      onModels(versionId);
      setPhase('done');
    } catch (e) {
      if (!(e instanceof PollAborted)) setError(e);
      setPhase('done');
    }
  }

  const progress = run ? progressOf(run) : null;
  return (
    <div className="card" role="region" aria-label="Training">
      <div className="row">
        <h2 style={{ margin: 0 }}>Training</h2>
        <button type="button" onClick={() => void train()} disabled={phase === 'training' || phase === 'deciding'}>
          {phase === 'training' ? 'Training…' : phase === 'deciding' ? 'Waiting for the decision…' : 'Train now'}
        </button>
        {(phase === 'training' || phase === 'deciding') && (
          <button type="button" className="secondary" onClick={() => { stop.current?.abort(); setPhase('done'); }}>Stop following</button>
        )}
        <span className="muted">ALS on the workspace's views, adds and purchases; evaluated against popularity and item-kNN on the last 30 days</span>
      </div>
      {run && progress && (
        <div aria-live="polite" className="run-status" data-status={run.status}>
          <Progress fraction={progress.fraction} label={progress.label} id="training-progress" />
          <span className="muted">run <code>{short(run.runId)}</code> · attempt {run.attempt} · {run.status}
            {run.durationMs !== undefined && ` · ${(run.durationMs / 1000).toFixed(1)} s`}
            {run.rowsIn !== undefined && ` · ${count(run.rowsIn)} interactions in`}</span>
          {run.status === 'failed' && <div className="error" role="alert"><strong>Training failed</strong>{run.errorType && ` (${run.errorType})`} — {run.error}</div>}
        </div>
      )}
      {phase === 'deciding' && <p className="muted" role="status">Version <code>{short(run?.runId)}</code> is a candidate; the recommender decides by the
        workspace's policy ({policy ?? '…'}) within about half a minute.</p>}
      {decided && (
        <p className="notice" role="status" data-decision={decided.status}>
          Version <code>{short(decided.versionId)}</code> is <strong>{decided.status}</strong>
          {decided.status === 'serving' && decided.loaded ? ' and answers now' : ''}{decided.decision ? `: ${decided.decision}` : ''}
        </p>
      )}
      <Status error={error} />
    </div>
  );
}

function VersionDetail({ version, feedback }: { version: ModelVersion; feedback?: Feedback }) {
  const rows = metricsTable(version);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category' as const, data: METRICS.map((m) => m.label) },
    yAxis: { type: 'value' as const },
    series: rows.map((r, i) => ({
      name: r.label, type: 'bar' as const, barMaxWidth: 22, data: METRICS.map((m) => r.values[m.key] ?? 0),
      itemStyle: { color: ['#2f6fde', '#e8833a', '#8a94a6'][i] },
    })),
  }), [version]);
  const k = version.metrics?.k ?? 10;
  return (
    <div className="card" role="region" aria-label="Version metrics">
      <div className="row">
        <h2 style={{ margin: 0 }}>Version <code>{short(version.versionId)}</code></h2>
        <span className={`tag status-${version.status}`}>{version.status}</span>
        <span className="muted">trained {formatTime(version.trainedAt)} in {(version.trainingDurationMs / 1000).toFixed(1)} s
          · hold-out from {formatTime(version.cutoff ?? undefined)} · {count(version.metrics?.testUsers ?? 0)} test customers · at {k}</span>
      </div>
      {version.loadError && <div className="error" role="alert"><strong>Cannot be loaded</strong> — {version.loadError}</div>}
      {version.decision && <p><strong>Decision</strong> {version.decision} <span className="muted">({formatTime(version.decidedAt ?? undefined)})</span></p>}
      {!version.factors && <p className="muted">Its factors were removed (old versions keep their metrics only): it can no longer serve.</p>}
      <div className="split metrics">
        <div className="table-wrap">
          <table aria-label="Hold-out metrics">
            <thead><tr><th>Model</th>{METRICS.map((m) => <th key={m.key} className="num">{m.label}{m.key === 'coverage' ? '' : `@${k}`}</th>)}</tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.model}>
                <td>{r.label}</td>
                {METRICS.map((m) => <td key={m.key} className={`num${r.best.includes(m.key) ? ' best' : ''}`}>{metric(r.values[m.key])}</td>)}
              </tr>
            ))}</tbody>
          </table>
          <p className="muted">Bold: the best of the three. {lift(version) !== null && `ALS NDCG is ${lift(version)!.toFixed(2)}× popularity's`}
            {lift(version, 'itemKnn') !== null && ` and ${lift(version, 'itemKnn')!.toFixed(2)}× item-kNN's`}.</p>
          {version.params && <p className="muted">Parameters: <code>{JSON.stringify(version.params)}</code></p>}
          <p>
            {feedback
              ? <>Served {count(feedback.served)} times · shown {count(feedback.impressions)} · clicked {count(feedback.clicks)}
                {' '}(CTR {percent(feedback.clickThroughRate) || '—'}) · bought after {count(feedback.purchases)} (conversion {percent(feedback.conversionRate) || '—'})</>
              : <span className="muted">Not served yet.</span>}
          </p>
        </div>
        <Chart option={option} height={240} label="Hold-out metrics of ALS, popularity and item-kNN" />
      </div>
    </div>
  );
}

function ItemsTable({ answer, label }: { answer: Answer; label: string }) {
  const columns: Column<Answer['items'][number]>[] = [
    { key: 'position', label: '#', numeric: true },
    { key: 'itemId', label: 'Item', render: (i) => <code>{i.itemId}</code> },
    { key: 'name', label: 'Name', render: (i) => i.name ?? '' },
    { key: 'category', label: 'Category', render: (i) => i.category ?? '' },
    { key: 'price', label: 'Price', numeric: true, render: (i) => (i.price === null || i.price === undefined ? '' : i.price.toFixed(2)) },
    { key: 'score', label: 'Score', numeric: true, render: (i) => i.score.toFixed(4) },
    { key: 'reason', label: 'Why', render: (i) => <span className={`tag reason-${i.reason}`}>{REASONS[i.reason] ?? i.reason}</span> },
  ];
  return (
    <>
      <p className="muted">
        {answer.versionId ? <>model version <code>{short(answer.versionId)}</code></> : 'no model yet: popular items'}
        {' '}· answer <code>{short(answer.recommendationId)}</code> · {formatTime(answer.generatedAt)}
        {answer.profileId && <> · <a href={`#/profiles/${answer.profileId}`}>profile</a></>}
      </p>
      {answer.items.length === 0
        ? <p className="muted">Nothing to recommend: the workspace has no purchases yet (or the filters leave nothing).</p>
        : <DataTable label={label} columns={columns} rows={answer.items} rowKey={(i) => i.itemId} pageSize={25} />}
    </>
  );
}

function Filters({ filters, onChange, id }: { filters: PreviewFilters; onChange: (f: PreviewFilters) => void; id: string }) {
  return (
    <div className="row">
      <label htmlFor={`${id}-limit`}>Top</label>
      <select id={`${id}-limit`} value={filters.limit ?? 10} onChange={(e) => onChange({ ...filters, limit: Number(e.target.value) })}>
        {[5, 10, 20, 50].map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
      <label htmlFor={`${id}-category`}>Category</label>
      <input id={`${id}-category`} size={12} value={filters.category ?? ''} onChange={(e) => onChange({ ...filters, category: e.target.value })} />
      <label htmlFor={`${id}-min`}>Price</label>
      <input id={`${id}-min`} size={5} placeholder="min" aria-label="Minimum price" value={filters.minPrice ?? ''} onChange={(e) => onChange({ ...filters, minPrice: e.target.value })} />
      <input id={`${id}-max`} size={5} placeholder="max" aria-label="Maximum price" value={filters.maxPrice ?? ''} onChange={(e) => onChange({ ...filters, maxPrice: e.target.value })} />
      <label><input type="checkbox" checked={!!filters.anyAvailability} onChange={(e) => onChange({ ...filters, anyAvailability: e.target.checked })} /> include unavailable</label>
    </div>
  );
}

/** What the serving model answers for a profile, found by any identifier. */
function Preview({ onAnswer }: { onAnswer: () => void }) {
  const [lookup, setLookup] = useState<Lookup>('userId');
  const [value, setValue] = useState('');
  const [filters, setFilters] = useState<PreviewFilters>({ limit: 10 });
  const [state, setState] = useState<{ answer?: Answer; error?: unknown; loading?: boolean }>({});
  async function go(event: FormEvent) {
    event.preventDefault();
    setState({ loading: true });
    try {
      setState({ answer: await get<Answer>(previewPath(lookup, value, filters)) });
      // the answer is logged: its version's "served" count grows
      onAnswer();
    } catch (e) {
      setState({ error: e });
    }
  }
  return (
    <form className="card" aria-label="Preview for a profile" onSubmit={go}>
      <h2>Preview for a profile</h2>
      <div className="row">
        <label htmlFor="preview-kind" className="sr-only">Identifier</label>
        <select id="preview-kind" value={lookup} onChange={(e) => setLookup(e.target.value as Lookup)}>
          {LOOKUPS.map((l) => <option key={l.key} value={l.key}>{l.label}</option>)}
        </select>
        <label htmlFor="preview-value" className="sr-only">Value</label>
        <input id="preview-value" value={value} onChange={(e) => setValue(e.target.value)} placeholder="u-42" size={22} required />
        <button type="submit" disabled={state.loading || !value.trim()}>{state.loading ? 'Asking…' : 'Recommend'}</button>
      </div>
      <Filters filters={filters} onChange={setFilters} id="preview" />
      <Status error={state.error} />
      {state.answer && <ItemsTable answer={state.answer} label="Recommended items" />}
    </form>
  );
}

function Similar() {
  const [item, setItem] = useState('');
  const [filters, setFilters] = useState<PreviewFilters>({ limit: 10 });
  const [state, setState] = useState<{ answer?: Answer; error?: unknown; loading?: boolean }>({});
  async function go(event: FormEvent) {
    event.preventDefault();
    setState({ loading: true });
    try {
      setState({ answer: await get<Answer>(similarPath(item, filters)) });
    } catch (e) {
      setState({ error: e });
    }
  }
  return (
    <form className="card" aria-label="Similar items" onSubmit={go}>
      <h2>Similar items</h2>
      <div className="row">
        <label htmlFor="similar-item">Item id</label>
        <input id="similar-item" value={item} onChange={(e) => setItem(e.target.value)} placeholder="85123A" size={16} required />
        <button type="submit" disabled={state.loading || !item.trim()}>{state.loading ? 'Asking…' : 'Find similar'}</button>
      </div>
      <Filters filters={filters} onChange={setFilters} id="similar" />
      <Status error={state.error} />
      {state.answer && <ItemsTable answer={state.answer} label="Similar items" />}
    </form>
  );
}

function FeedbackTable({ feedback }: { feedback: ReturnType<typeof useLoad<{ versions: Feedback[] }>> }) {
  const rows = feedback.data?.versions ?? [];
  const columns: Column<Feedback>[] = [
    { key: 'versionId', label: 'Version', render: (f) => (f.versionId ? <code>{short(f.versionId)}</code> : <span className="muted">no model (popular)</span>) },
    { key: 'served', label: 'Served', numeric: true, render: (f) => count(f.served) },
    { key: 'impressions', label: 'Shown', numeric: true, render: (f) => count(f.impressions) },
    { key: 'clicks', label: 'Clicked', numeric: true, render: (f) => count(f.clicks) },
    { key: 'clickThroughRate', label: 'CTR', numeric: true, render: (f) => percent(f.clickThroughRate) || '—' },
    { key: 'purchases', label: 'Bought', numeric: true, render: (f) => count(f.purchases) },
    { key: 'conversionRate', label: 'Conversion', numeric: true, render: (f) => percent(f.conversionRate) || '—' },
    { key: 'lastServedAt', label: 'Last served', render: (f) => formatTime(f.lastServedAt ?? undefined) },
  ];
  return (
    <div className="card">
      <h2>Click-through and conversion per version</h2>
      <Status loading={feedback.loading && !feedback.data} error={feedback.error} empty={!!feedback.data && rows.length === 0}
        emptyText="No answers served yet. The website sends Product List Viewed (with the answer's recommendation_id), Product Clicked and Order Completed as ordinary events." />
      {rows.length > 0 && <DataTable label="Feedback per version" columns={columns} rows={rows} rowKey={(f) => f.versionId ?? 'none'} />}
    </div>
  );
}

interface Settings { promotionPolicy: string; promotionPolicySource: string; repeatableCategories: string[]; repeatableCategoriesSource: string }

function SettingsCard({ manage }: { manage: boolean }) {
  const settings = useLoad<Settings>(() => get('/v1/recommendations/settings'), []);
  const [draft, setDraft] = useState<{ policy: string; categories: string } | null>(null);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const s = settings.data;
  const shown = draft ?? (s ? { policy: s.promotionPolicy, categories: s.repeatableCategories.join(', ') } : null);
  async function save(event: FormEvent) {
    event.preventDefault();
    if (!shown) return;
    setError(undefined);
    setSaved(false);
    try {
      await put('/v1/recommendations/settings', {
        promotionPolicy: shown.policy,
        repeatableCategories: shown.categories.split(',').map((c) => c.trim()).filter(Boolean),
      });
      setDraft(null);
      setSaved(true);
      settings.refresh();
    } catch (e) {
      setError(e);
    }
  }
  async function reset() {
    setError(undefined);
    try {
      await put('/v1/recommendations/settings', {});
      setDraft(null);
      settings.refresh();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <form className="card" aria-label="Recommendation settings" onSubmit={save}>
      <h2>Settings</h2>
      <Status loading={settings.loading && !s} error={settings.error} />
      {shown && s && (
        <>
          <div className="row">
            <label htmlFor="rec-policy">Promotion policy</label>
            <select id="rec-policy" value={shown.policy} disabled={!manage} onChange={(e) => setDraft({ ...shown, policy: e.target.value })}>
              <option value="if-better">if better (ALS NDCG above the serving version's)</option>
              <option value="always">always promote a new version</option>
              <option value="manual">manual (promote by hand)</option>
            </select>
            <span className="muted">{s.promotionPolicySource === 'workspace' ? 'chosen for this workspace' : "the service's default"}</span>
          </div>
          <div className="row">
            <label htmlFor="rec-categories">Repeatable categories</label>
            <input id="rec-categories" size={40} value={shown.categories} disabled={!manage} placeholder="food, consumables"
              onChange={(e) => setDraft({ ...shown, categories: e.target.value })} />
            <span className="muted">may be recommended again after a purchase · {s.repeatableCategoriesSource === 'workspace' ? 'this workspace' : 'default'}</span>
          </div>
          {manage && (
            <div className="row">
              <button type="submit" disabled={!draft}>Save settings</button>
              <button type="button" className="secondary" onClick={() => void reset()}>Back to the defaults</button>
              {saved && <span className="muted" role="status">Saved.</span>}
            </div>
          )}
        </>
      )}
      <Status error={error} />
    </form>
  );
}
