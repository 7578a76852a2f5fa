import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, get, post } from '../api';
import { followRun, JobRun, PollAborted, progressOf } from '../poll';
import { Chart, formatTime, Progress, Status, useLoad } from '../ui';

interface Distribution { customers: number; total: number; mean: number; median: number; p90: number; bins: { from: number; to?: number; customers: number }[] }
interface Tier { name: string; customers: number; revenueShare: number; r: number; f: number; m: number }
interface LtvModel {
  modelId: string; fittedAt: string; observedUntil?: string; customers: number; repeatCustomers: number;
  bgNbd: { r: number; alpha: number; a: number; b: number }; gammaGamma?: { p: number; q: number; gamma: number };
  logLikelihood: number; durationMs: number;
}
interface RfmRun { runId: string; computedAt: string; customers: number; k: number; silhouette: number; tiers: Tier[] }
interface Movement { from: string; to: string; profiles: number }

/**
 * Starts an RFM run and follows it to its end: `POST /v1/jobs/rfm/runs` with `Prefer: respond-async`
 * answers 202 with the queued run (a run already going answers 409 with its id, which is followed
 * instead); every state goes to `onUpdate`, through the scheduler's retries.
 */
export async function runRfm(request: (path: string, init: RequestInit) => Promise<JobRun>, load: (runId: string) => Promise<JobRun>,
  onUpdate: (run: JobRun) => void, signal?: AbortSignal, interval = 1500): Promise<JobRun> {
  let runId: string;
  try {
    const queued = await request('/v1/jobs/rfm/runs', { method: 'POST', headers: { Prefer: 'respond-async' } });
    onUpdate(queued);
    runId = queued.runId;
  } catch (e) {
    const active = e instanceof ApiError && e.status === 409 ? (e.problem as { activeRunId?: string }).activeRunId : undefined;
    if (!active) throw e;
    runId = active;
  }
  return followRun(runId, load, onUpdate, { interval, signal });
}

export function CustomerValue() {
  const distribution = useLoad<Distribution>(() => get('/v1/ltv/distribution?bins=20'), []);
  const rfm = useLoad<RfmRun | null>(() => get('/v1/jobs/rfm/runs/latest'), []);
  const models = useLoad<LtvModel[]>(() => get('/v1/ltv/models?limit=20'), []);
  const movement = useLoad<Movement[]>(() => get('/v1/jobs/rfm/movement'), [rfm.data?.runId]);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<unknown>();
  const [rfmRun, setRfmRun] = useState<JobRun | null>(null);
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);

  async function runRfmNow() {
    stop.current?.abort();
    const controller = new AbortController();
    stop.current = controller;
    setBusy('rfm');
    setError(undefined);
    try {
      await runRfm((path, init) => api<JobRun>(path, init), (id) => get<JobRun>(`/v1/jobs/runs/${id}`), setRfmRun, controller.signal);
      rfm.reload();
    } catch (e) {
      if (!(e instanceof PollAborted)) setError(e);
    } finally {
      setBusy('');
    }
  }

  async function run(path: string, label: string, reload: () => void) {
    setBusy(label);
    setError(undefined);
    try {
      await post(path);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  }

  const ltvOption = useMemo(() => {
    const bins = distribution.data?.bins ?? [];
    return {
      grid: { left: 50, right: 20, top: 10, bottom: 40 },
      tooltip: {},
      xAxis: { type: 'category' as const, name: 'predicted spend, next 365 days', nameLocation: 'middle' as const, nameGap: 28,
        data: bins.map((b) => `${Math.round(b.from)}${b.to === undefined || b.to === null ? '+' : ''}`) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: [{ type: 'bar' as const, data: bins.map((b) => b.customers), itemStyle: { color: '#36a38b' } }],
    };
  }, [distribution.data]);
  const tierOption = useMemo(() => {
    const tiers = rfm.data?.tiers ?? [];
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { bottom: 0 },
      grid: { left: 130, right: 20, top: 10, bottom: 40 },
      xAxis: { type: 'value' as const, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category' as const, data: tiers.map((t) => t.name) },
      series: [
        { name: 'customers', type: 'bar' as const, data: tiers.map((t) => +(100 * t.customers / (rfm.data?.customers || 1)).toFixed(1)) },
        { name: 'revenue', type: 'bar' as const, data: tiers.map((t) => +(100 * t.revenueShare).toFixed(1)) },
      ],
    };
  }, [rfm.data]);

  return (
    <>
      <h1>Customer value</h1>
      <Status error={error} />
      <div className="grid">
        <div className="card">
          <div className="row">
            <h2 style={{ margin: 0 }}>RFM tiers</h2>
            <button type="button" disabled={!!busy} onClick={() => void runRfmNow()}>{busy === 'rfm' ? 'Running…' : 'Run RFM now'}</button>
          </div>
          {rfmRun && (
            <div aria-live="polite" className="run-status" data-status={rfmRun.status} aria-label="RFM run">
              <Progress fraction={progressOf(rfmRun).fraction} label={progressOf(rfmRun).label} id="rfm-progress" />
              <span className="muted">run <code>{rfmRun.runId.slice(0, 8)}</code> · attempt {rfmRun.attempt} · {rfmRun.status}
                {rfmRun.durationMs !== undefined && ` · ${(rfmRun.durationMs / 1000).toFixed(1)} s`}</span>
              {rfmRun.status === 'failed' && <div className="error" role="alert"><strong>RFM run failed</strong>{rfmRun.errorType && ` (${rfmRun.errorType})`} — {rfmRun.error}</div>}
            </div>
          )}
          <Status loading={rfm.loading} error={rfm.error} empty={!rfm.loading && !rfm.error && !rfm.data} emptyText="No RFM run yet." />
          {rfm.data && (
            <>
              <p className="muted" aria-label="RFM run summary">{rfm.data.customers.toLocaleString()} buyers · k = {rfm.data.k} · silhouette {rfm.data.silhouette.toFixed(3)}</p>
              <Chart option={tierOption} label="Share of customers and revenue per RFM tier" />
              <table aria-label="RFM tiers">
                <thead><tr><th>Tier</th><th>Customers</th><th>Revenue</th><th>R / F / M</th></tr></thead>
                <tbody>{rfm.data.tiers.map((t, i) => (
                  <tr key={`${t.name}-${i}`}><td>{t.name}</td><td>{t.customers.toLocaleString()}</td><td>{(100 * t.revenueShare).toFixed(1)}%</td>
                    <td>{t.r.toFixed(1)} / {t.f.toFixed(1)} / {t.m.toFixed(1)}</td></tr>
                ))}</tbody>
              </table>
              {movement.data && movement.data.length > 0 && (
                <table aria-label="RFM tier movement">
                  <caption className="muted" style={{ textAlign: 'left', paddingBottom: 6 }}>Movement since the run before (“(new)”: not in it)</caption>
                  <thead><tr><th>From</th><th>To</th><th>Profiles</th></tr></thead>
                  <tbody>{movement.data.map((m) => (
                    <tr key={`${m.from}>${m.to}`}><td>{m.from}</td><td>{m.to}</td><td>{m.profiles.toLocaleString()}</td></tr>
                  ))}</tbody>
                </table>
              )}
            </>
          )}
        </div>
        <div className="card">
          <div className="row">
            <h2 style={{ margin: 0 }}>Lifetime value</h2>
            <button type="button" disabled={!!busy} onClick={() => run('/v1/ltv/models', 'ltv', () => { distribution.reload(); models.reload(); })}>{busy === 'ltv' ? 'Fitting…' : 'Fit LTV now'}</button>
          </div>
          <Status loading={distribution.loading} error={distribution.error} empty={distribution.data?.customers === 0} emptyText="No LTV predictions yet: fit the model." />
          {distribution.data && distribution.data.customers > 0 && (
            <>
              <p className="muted" aria-label="LTV summary">{distribution.data.customers.toLocaleString()} customers · predicted next-year revenue {Math.round(distribution.data.total).toLocaleString()} · median {distribution.data.median.toFixed(0)} · p90 {distribution.data.p90.toFixed(0)}</p>
              <Chart option={ltvOption} label="Customers by predicted spend" />
            </>
          )}
        </div>
      </div>
      <div className="card">
        <h2>LTV model fits</h2>
        <Status loading={models.loading} error={models.error} empty={models.data?.length === 0} emptyText="No model fitted yet: press “Fit LTV now”." />
        {models.data && models.data.length > 0 && (
          <table aria-label="LTV model fits">
            <caption className="muted" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: 6 }}>
              BG/NBD (r, α, a, b; time in days) and Gamma-Gamma (p, q, γ), newest first.
            </caption>
            <thead><tr><th>Fitted</th><th>Observed until</th><th>Buyers</th><th>Repeat buyers</th>{['r', 'α', 'a', 'b', 'p', 'q', 'γ'].map((symbol) => <th key={symbol} className="symbol">{symbol}</th>)}<th>Log-likelihood</th><th>Took</th></tr></thead>
            <tbody>{models.data.map((m) => (
              <tr key={m.modelId}>
                <td>{formatTime(m.fittedAt)}</td><td>{formatTime(m.observedUntil)}</td>
                <td>{m.customers.toLocaleString()}</td><td>{m.repeatCustomers.toLocaleString()}</td>
                <td>{m.bgNbd.r.toFixed(3)}</td><td>{m.bgNbd.alpha.toFixed(2)}</td><td>{m.bgNbd.a.toFixed(3)}</td><td>{m.bgNbd.b.toFixed(3)}</td>
                <td>{m.gammaGamma ? m.gammaGamma.p.toFixed(2) : '—'}</td><td>{m.gammaGamma ? m.gammaGamma.q.toFixed(2) : '—'}</td>
                <td>{m.gammaGamma ? m.gammaGamma.gamma.toFixed(1) : '—'}</td>
                <td>{m.logLikelihood.toLocaleString(undefined, { maximumFractionDigits: 1 })}</td><td>{(m.durationMs / 1000).toFixed(1)} s</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </div>
    </>
  );
}
