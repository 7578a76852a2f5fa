import { useMemo, useState } from 'react';
import { can, post, workspace } from '../api';
import {
  collectDropped, Collected, DroppedPage, dropoutSegmentName, dropoutSegmentRequest, DroppedRequest,
} from '../dropouts';
import { count, duration, percent } from '../format';
import {
  addExclusion, addStep, BreakdownKind, Funnel, funnelRequest, FunnelRequest, MAX_EXCLUSIONS, MAX_STEPS, moveStep,
  newFunnel, parseBreakdown, parseFunnel, parseWindow, removeExclusion, removeStep, updateExclusion, updateStep,
  windowText, WindowUnit, withBreakdown, formatWindow,
} from '../funnel';
import { DateRange } from '../range';
import { Chart, Column, DataTable, Downloads, FieldError, formatTime, invalid, reasonAt, Status, useLoad, formatter } from '../ui';
import { EventMatchEditor } from './EventMatchEditor';

interface Step {
  step: number; label: string; count: number; conversion: number; conversionFromPrevious: number; dropOff: number;
  medianSecondsFromPrevious: number | null;
}
interface FunnelResult {
  from: string; to: string; window: string; excluded: number; steps: Step[]; breakdown: string | null;
  groups: { value: string; steps: Step[] }[]; durationMs: number;
}

const key = () => `lodestar.funnel.${workspace()}`;
const STEP_COLOURS = ['#17233b', '#1f4fa8', '#2f6fde', '#4f86e6', '#6f9dee', '#8fb4f5', '#a9c4f7', '#c0d4f9', '#d3e1fb', '#e3ecfd'];

function storedFunnel(): Funnel {
  try {
    const text = sessionStorage.getItem(key());
    return text ? parseFunnel(JSON.parse(text)) : newFunnel();
  } catch {
    return newFunnel();
  }
}

/**
 * The funnel builder: ordered steps (events or page views with property filters), the conversion
 * window, exclusions between two steps and a breakdown; the result as a funnel chart and tables,
 * and the profiles who dropped at a step.
 */
export function Funnels({ range, lastDataDay }: { range: DateRange; lastDataDay?: string | null }) {
  const [funnel, setFunnelState] = useState<Funnel>(storedFunnel);
  const [run, setRun] = useState<{ request?: FunnelRequest; result?: FunnelResult; error?: unknown; loading?: boolean }>({});
  const [dropped, setDropped] = useState<number | null>(null);
  const setFunnel = (next: Funnel) => {
    sessionStorage.setItem(key(), JSON.stringify(funnelRequest(next)));
    setFunnelState(next);
  };
  const error = run.error;

  async function go() {
    const request = funnelRequest(funnel, range);
    setRun({ request, loading: true });
    setDropped(null);
    try {
      setRun({ request, result: await post<FunnelResult>('/v1/analytics/funnels', request) });
    } catch (e) {
      setRun({ request, error: e });
    }
  }

  const window = parseWindow(funnel.window);
  const breakdown = parseBreakdown(funnel.breakdown);
  const steps = funnel.steps.length;
  return (
    <div className="split">
      <form className="card" aria-label="Funnel" onSubmit={(e) => { e.preventDefault(); void go(); }}>
        <h2>Steps</h2>
        <FieldError error={error} pointer="/steps" id="steps-error" />
        <ol className="steps">
          {funnel.steps.map((step, i) => (
            <li key={i} className="step">
              <span className="step-number" aria-hidden="true">{i + 1}</span>
              <EventMatchEditor match={step} label={`Step ${i + 1}`} id={`step-${i}`} pointer={`/steps/${i}`} error={error}
                onChange={(next) => setFunnel(updateStep(funnel, i, next))}
                actions={(
                  <>
                    <button type="button" className="secondary small" aria-label={`Move step ${i + 1} up`} disabled={i === 0}
                      onClick={() => setFunnel(moveStep(funnel, i, -1))}>↑</button>
                    <button type="button" className="secondary small" aria-label={`Move step ${i + 1} down`} disabled={i === steps - 1}
                      onClick={() => setFunnel(moveStep(funnel, i, 1))}>↓</button>
                    <button type="button" className="secondary small" aria-label={`Remove step ${i + 1}`} disabled={steps <= 2}
                      onClick={() => setFunnel(removeStep(funnel, i))}>✕</button>
                  </>
                )} />
            </li>
          ))}
        </ol>
        <div className="row">
          <button type="button" className="secondary" disabled={steps >= MAX_STEPS} onClick={() => setFunnel(addStep(funnel))}>+ Add step</button>
          <span className="muted">2–{MAX_STEPS} steps, each after the one before</span>
        </div>

        <div className="row">
          <label htmlFor="funnel-window-amount">Conversion window</label>
          {window ? (
            <>
              <input id="funnel-window-amount" type="number" min={1} style={{ width: 72 }} value={window.amount}
                onChange={(e) => setFunnel({ ...funnel, window: formatWindow(Number(e.target.value), window.unit) })}
                {...invalid(error, '/window', 'window-error')} />
              <select aria-label="Window unit" value={window.unit}
                onChange={(e) => setFunnel({ ...funnel, window: formatWindow(window.amount, e.target.value as WindowUnit) })}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </select>
            </>
          ) : (
            <input id="funnel-window-amount" value={funnel.window ?? ''} onChange={(e) => setFunnel({ ...funnel, window: e.target.value })}
              {...invalid(error, '/window', 'window-error')} />
          )}
          <span className="muted">from step 1</span>
          <FieldError error={error} pointer="/window" id="window-error" />
        </div>

        <h2>Exclusions</h2>
        <FieldError error={error} pointer="/exclusions" id="exclusions-error" />
        {(funnel.exclusions ?? []).length === 0 && <p className="muted">None: profiles leave the funnel only by not reaching a step.</p>}
        {(funnel.exclusions ?? []).map((exclusion, i) => (
          <div key={i} className="step exclusion">
            <EventMatchEditor match={exclusion} label={`Exclusion ${i + 1}`} id={`exclusion-${i}`} pointer={`/exclusions/${i}`} error={error}
              onChange={(next) => setFunnel(updateExclusion(funnel, i, { ...exclusion, ...next, filters: next.filters }))} />
            <div className="row">
              <label htmlFor={`exclusion-${i}-after`}>between step</label>
              <select id={`exclusion-${i}-after`} value={exclusion.afterStep ?? 1}
                onChange={(e) => setFunnel(updateExclusion(funnel, i, { ...exclusion, afterStep: Number(e.target.value) }))}
                {...invalid(error, `/exclusions/${i}/afterStep`, `exclusion-${i}-steps-error`)}>
                {funnel.steps.slice(0, -1).map((_, n) => <option key={n} value={n + 1}>{n + 1}</option>)}
              </select>
              <label htmlFor={`exclusion-${i}-before`}>and step</label>
              <select id={`exclusion-${i}-before`} value={exclusion.beforeStep ?? (exclusion.afterStep ?? 1) + 1}
                onChange={(e) => setFunnel(updateExclusion(funnel, i, { ...exclusion, beforeStep: Number(e.target.value) }))}>
                {funnel.steps.slice(1).map((_, n) => <option key={n} value={n + 2}>{n + 2}</option>)}
              </select>
              <FieldError error={error} pointer={`/exclusions/${i}/afterStep`} id={`exclusion-${i}-steps-error`} />
              <button type="button" className="secondary" aria-label={`Remove exclusion ${i + 1}`}
                onClick={() => setFunnel(removeExclusion(funnel, i))}>✕</button>
            </div>
          </div>
        ))}
        <button type="button" className="secondary" disabled={(funnel.exclusions ?? []).length >= MAX_EXCLUSIONS}
          onClick={() => setFunnel(addExclusion(funnel))}>+ Add exclusion</button>

        <h2>Breakdown</h2>
        <div className="row">
          <label htmlFor="breakdown-kind">Split by</label>
          <select id="breakdown-kind" value={breakdown.kind}
            onChange={(e) => setFunnel(withBreakdown(funnel, e.target.value as BreakdownKind, breakdown.key || 'country'))}>
            <option value="none">nothing</option>
            <option value="traits">profile trait</option>
            <option value="properties">step-1 event property</option>
          </select>
          {breakdown.kind !== 'none' && (
            <input aria-label="Breakdown key" value={breakdown.key} size={16} placeholder="country"
              onChange={(e) => setFunnel(withBreakdown(funnel, breakdown.kind, e.target.value))}
              {...invalid(error, '/breakdown', 'breakdown-error')} />
          )}
          <FieldError error={error} pointer="/breakdown" id="breakdown-error" />
        </div>

        <div className="row actions">
          <button type="submit" disabled={run.loading}>{run.loading ? 'Running…' : 'Run funnel'}</button>
          <Downloads path="/v1/analytics/funnels" body={funnelRequest(funnel, range)} filename={`funnel-${range.from}-${range.to}`}
            report={{ question: { kind: 'funnel', request: { ...funnelRequest(funnel) } }, range, lastDataDay }} />
          <button type="button" className="secondary" onClick={() => { setFunnel(newFunnel()); setRun({}); }}>Reset</button>
        </div>
        <details><summary>Request JSON</summary><pre>{JSON.stringify(funnelRequest(funnel, range), null, 2)}</pre></details>
      </form>
      <div aria-live="polite" className="answer">
        <Status loading={run.loading} error={run.error} />
        {run.result && run.request && (
          <FunnelAnswer result={run.result} window={windowText(run.request.window)} onDropped={setDropped} />
        )}
        {run.result && run.request && dropped !== null && (
          <Dropped key={dropped} request={run.request} step={dropped} labels={run.result.steps.map((s) => s.label)}
            dropOff={run.result.steps[dropped - 1]?.dropOff ?? 0} onClose={() => setDropped(null)} />
        )}
        {!run.result && !run.loading && !run.error && (
          <div className="card muted">Build the funnel and press “Run funnel”: the profiles per step, conversion, drop-off and
            median time between steps show here.</div>
        )}
      </div>
    </div>
  );
}

function FunnelAnswer({ result, window, onDropped }: { result: FunnelResult; window: string; onDropped: (step: number) => void }) {
  const first = result.steps[0]?.count ?? 0;
  const last = result.steps[result.steps.length - 1];
  const option = useMemo(() => ({
    tooltip: { trigger: 'item' as const, formatter: '{b}: {c} profiles' },
    series: [{
      type: 'funnel' as const, sort: 'none' as const, color: STEP_COLOURS, left: '10%', width: '80%', top: 10, bottom: 10, minSize: '4%', gap: 2,
      label: { show: true, position: 'inside' as const, color: '#fff', textBorderColor: '#17233b', textBorderWidth: 2, formatter: formatter<{ name: string; value: number }>((p) => `${p.name}: ${count(p.value)}`) },
      data: result.steps.map((s) => ({ name: `${s.step}. ${s.label}`, value: s.count, step: s.step })),
    }],
  }), [result]);
  const columns: Column<Step>[] = [
    { key: 'step', label: 'Step', numeric: true },
    { key: 'label', label: 'Event' },
    { key: 'count', label: 'Profiles', numeric: true, render: (s) => count(s.count) },
    { key: 'conversion', label: 'Conversion', numeric: true, render: (s) => percent(s.conversion) },
    { key: 'conversionFromPrevious', label: 'From previous', numeric: true, render: (s) => (s.step === 1 ? '—' : percent(s.conversionFromPrevious)) },
    { key: 'dropOff', label: 'Dropped', numeric: true, render: (s) => (s.step === 1 ? '—' : count(s.dropOff)) },
    { key: 'medianSecondsFromPrevious', label: 'Median time', numeric: true, render: (s) => (s.step === 1 ? '—' : duration(s.medianSecondsFromPrevious)) },
    { key: 'who', label: 'Who dropped', sortValue: (s) => s.step, render: (s) => (s.step === 1 ? '' : (
      <button type="button" className="secondary small" disabled={s.dropOff === 0} onClick={() => onDropped(s.step)}
        aria-label={`Show the profiles who dropped before step ${s.step}`}>Show</button>
    )) },
  ];
  return (
    <div className="card" aria-label="Funnel result" role="region">
      <h2>Result</h2>
      <p>
        <span className="kpi" data-kpi="Funnel conversion">{percent(first === 0 ? 0 : last.count / first)}</span> of{' '}
        <strong>{count(first)}</strong> profiles converted within {window}{' '}
        <span className="muted">· {count(result.excluded)} excluded · {result.durationMs} ms</span>
      </p>
      {first === 0
        ? <p className="muted">Nobody did step 1 in this range.</p>
        : <Chart option={option} height={Math.max(180, 56 * result.steps.length)} label="Funnel: profiles per step"
            onClick={(data) => { const step = (data as { step?: number })?.step; if (step && step > 1) onDropped(step); }} />}
      <DataTable label="Funnel steps" columns={columns} rows={result.steps} rowKey={(s) => String(s.step)} pageSize={10} />
      {result.breakdown && <Breakdown result={result} />}
    </div>
  );
}

function Breakdown({ result }: { result: FunnelResult }) {
  type Row = { value: string; steps: Step[] };
  const n = result.steps.length;
  const columns: Column<Row>[] = [
    { key: 'value', label: result.breakdown!.replace(/^(traits|properties)\./, '') },
    ...result.steps.map((s, i) => ({
      key: `s${i}`, label: `${s.step}. ${s.label}`, numeric: true,
      sortValue: (r: Row) => r.steps[i]?.count ?? 0, render: (r: Row) => count(r.steps[i]?.count ?? 0),
    })),
    { key: 'conversion', label: 'Conversion', numeric: true, sortValue: (r) => r.steps[n - 1]?.conversion ?? 0,
      render: (r) => percent(r.steps[n - 1]?.conversion ?? 0) },
  ];
  return (
    <>
      <h2>By {result.breakdown}</h2>
      {result.groups.length === 0 ? <p className="muted">No profiles to split.</p> : (
        <DataTable label={`Funnel by ${result.breakdown}`} columns={columns} rows={result.groups} rowKey={(g) => g.value}
          initialSort={{ key: 's0', descending: true }} />
      )}
    </>
  );
}

/** The profiles who reached the step before `step` and not `step`, a page at a time. */
function Dropped({ request, step, labels, dropOff, onClose }: {
  request: FunnelRequest; step: number; labels: string[]; dropOff: number; onClose: () => void;
}) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [saving, setSaving] = useState(false);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad<DroppedPage>(() => post('/v1/analytics/funnels/dropped',
    { funnel: request, step, limit: 25, ...(cursor ? { cursor } : {}) }), [cursor]);
  const label = labels[step - 1] ?? '';
  const previous = labels[step - 2] ?? '';
  return (
    <div className="card" role="region" aria-label={`Dropped before step ${step}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>Dropped before step {step}</h2>
        <span className="muted">did “{previous}”, then not “{label}” within the window</span>
        {can('segments:write') && !saving && (
          <button type="button" className="secondary" disabled={page.data?.profiles.length === 0}
            onClick={() => setSaving(true)}>Save as segment…</button>
        )}
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      {saving && <SaveDropouts request={request} step={step} labels={labels} dropOff={dropOff} onCancel={() => setSaving(false)} />}
      <Status loading={page.loading} error={page.error} empty={page.data?.profiles.length === 0} emptyText="Nobody dropped here." />
      {page.data && page.data.profiles.length > 0 && (
        <table aria-label={`Profiles who dropped before step ${step}`}>
          <thead><tr><th>Profile</th><th>Did step {step - 1} at</th></tr></thead>
          <tbody>{page.data.profiles.map((p) => (
            <tr key={p.profileId}>
              <td><a href={`#/profiles/${p.profileId}`}>{p.userId ?? `anonymous ${p.profileId.slice(0, 8)}`}</a></td>
              <td>{formatTime(p.reachedPreviousStepAt)}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <div className="row pager">
        <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" className="secondary" disabled={!page.data?.nextCursor}
          onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>Next</button>
      </div>
    </div>
  );
}

interface SavedSegment { segmentId: string; name: string; version: number }

/**
 * Collects every dropped profile's id (at most 10,000, saying so when more dropped), asks for a
 * name and saves them as a segment with a `profiles` rule, then computes it and links to it.
 */
function SaveDropouts({ request, step, labels, dropOff, onCancel }: {
  request: FunnelRequest; step: number; labels: string[]; dropOff: number; onCancel: () => void;
}) {
  const [name, setName] = useState(() => dropoutSegmentName(request, step, labels));
  const [progress, setProgress] = useState(0);
  const collected = useLoad<Collected>(() => collectDropped((body: DroppedRequest) => post<DroppedPage>('/v1/analytics/funnels/dropped', body),
    request, step, setProgress), []);
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; saved?: SavedSegment; size?: number }>({});

  async function save() {
    if (!collected.data) return;
    setState({ busy: true });
    try {
      const saved = await post<SavedSegment>('/v1/segments', dropoutSegmentRequest(name, request, step, labels, collected.data));
      const computed = await post<{ size: number }>(`/v1/segments/${saved.segmentId}/recompute`);
      setState({ saved, size: computed.size });
    } catch (error) {
      setState({ error });
    }
  }

  const c = collected.data;
  return (
    <form className="save-dropouts" aria-label="Save the dropped profiles as a segment" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {collected.loading && <p className="muted" role="status">Collecting the dropped profiles… {count(progress)} so far</p>}
      <Status error={collected.error} />
      {c && (
        <p role="status">
          <strong>{count(c.profileIds.length)}</strong> dropped profile{c.profileIds.length === 1 ? '' : 's'} collected
          {c.more && <span className="field-error"> — {count(dropOff)} dropped, but a segment's profile list holds at most 10,000:
            only the first 10,000 by profile id are saved.</span>}
        </p>
      )}
      {state.saved ? (
        <p role="status">Saved <a href={`#/segments/${state.saved.segmentId}`}>segment “{state.saved.name}”</a>: {count(state.size ?? 0)} member{state.size === 1 ? '' : 's'}.</p>
      ) : (
        <div className="row">
          <label htmlFor={`dropouts-${step}-name`}>Segment name</label>
          <input id={`dropouts-${step}-name`} value={name} size={40} maxLength={200} onChange={(e) => setName(e.target.value)}
            {...invalid(state.error, '/name', `dropouts-${step}-name-error`)} />
          <FieldError error={state.error} pointer="/name" id={`dropouts-${step}-name-error`} />
          <button type="submit" disabled={!c || c.profileIds.length === 0 || !name.trim() || state.busy}>{state.busy ? 'Saving…' : 'Save segment'}</button>
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
      )}
      {!!state.error && reasonAt(state.error, '/name') === undefined && <Status error={state.error} />}
    </form>
  );
}
