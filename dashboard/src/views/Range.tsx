import { useState } from 'react';
import { get, workspace } from '../api';
import { anchorDay, DateRange, Preset, PRESETS, presetRange, rangeProblem, Span } from '../range';
import { Status, useLoad } from '../ui';

const key = () => `lodestar.range.${workspace()}`;

function stored(): DateRange | null {
  try {
    const text = sessionStorage.getItem(key());
    return text ? (JSON.parse(text) as DateRange) : null;
  } catch {
    return null;
  }
}

/**
 * The analytics views' shared date range: chosen once, kept for the tab and the workspace while
 * the user moves between views; a preset follows the workspace's data as it grows. Until the
 * user picks one it is the last 30 days of the workspace's data.
 */
export function useRange() {
  const span = useLoad<Span>(() => get('/v1/analytics/span'), []);
  const [chosen, setChosen] = useState<DateRange | null>(stored);
  const anchor = anchorDay(span.data);
  let range: DateRange | null = null;
  if (!span.loading) {
    range = !chosen ? presetRange('30d', anchor) : chosen.preset === 'custom' ? chosen : presetRange(chosen.preset, anchor);
  }
  const setRange = (next: DateRange) => {
    sessionStorage.setItem(key(), JSON.stringify(next));
    setChosen(next);
  };
  return { range, setRange, span: span.data, spanError: span.error, anchor };
}

export type RangeState = ReturnType<typeof useRange>;

/** Presets (last 7/30/90 days and this year, counted back from the data's last day) and custom dates. */
export function RangePicker({ state }: { state: RangeState }) {
  const { range, setRange, span, spanError, anchor } = state;
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  if (!range) return <Status loading />;
  const shown = draft ?? range;
  const problem = draft ? rangeProblem(draft.from, draft.to) : undefined;
  function edit(next: { from: string; to: string }) {
    setDraft(next);
    if (!rangeProblem(next.from, next.to)) {
      setRange({ preset: 'custom', ...next });
      setDraft(null);
    }
  }
  return (
    <div className="card range" role="group" aria-label="Date range">
      <div className="segmented" role="group" aria-label="Range presets">
        {PRESETS.filter((p) => p.preset !== 'custom').map((p) => (
          <button key={p.preset} type="button" aria-pressed={range.preset === p.preset}
            onClick={() => { setDraft(null); setRange(presetRange(p.preset as Exclude<Preset, 'custom'>, anchor)); }}>
            {p.label}
          </button>
        ))}
        <button type="button" aria-pressed={range.preset === 'custom'}
          onClick={() => setRange({ ...range, preset: 'custom' })}>Custom</button>
      </div>
      <span className="field">
        <label htmlFor="range-from">From</label>
        <input id="range-from" type="date" value={shown.from} max={shown.to} required aria-describedby="range-problem"
          onChange={(e) => edit({ from: e.target.value, to: shown.to })} />
      </span>
      <span className="field">
        <label htmlFor="range-to">To</label>
        <input id="range-to" type="date" value={shown.to} min={shown.from} required aria-describedby="range-problem"
          onChange={(e) => edit({ from: shown.from, to: e.target.value })} />
      </span>
      <span id="range-problem" className={problem ? 'field-error' : 'muted'} role={problem ? 'alert' : undefined}>
        {problem ?? (span?.last
          ? `data ${span.first?.slice(0, 10)} – ${span.last.slice(0, 10)}`
          : 'no data in this workspace yet')}
      </span>
      {spanError !== undefined && <Status error={spanError} />}
    </div>
  );
}
