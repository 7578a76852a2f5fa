import { useMemo, useState } from 'react';
import { post } from '../api';
import { count } from '../format';
import { newPathQuery, pathRequest, PathQuery, PathResult, sankeyData, stepName } from '../paths';
import { DateRange } from '../range';
import { Chart, Column, DataTable, Downloads, FieldError, invalid, Status, formatter } from '../ui';
import { EventMatchEditor } from './EventMatchEditor';

/** Path analysis: what profiles did after their first start event (or before their first end event), as a Sankey. */
export function Paths({ range, lastDataDay }: { range: DateRange; lastDataDay?: string | null }) {
  const [query, setQuery] = useState<PathQuery>(newPathQuery);
  const [run, setRun] = useState<{ result?: PathResult; error?: unknown; loading?: boolean }>({});
  const anchor = query.direction === 'after' ? '/start' : '/end';
  const error = run.error;

  async function go() {
    setRun({ loading: true });
    try {
      setRun({ result: await post<PathResult>('/v1/analytics/paths', pathRequest(query, range)) });
    } catch (e) {
      setRun({ error: e });
    }
  }

  return (
    <>
      <form className="card" aria-label="Paths" onSubmit={(e) => { e.preventDefault(); void go(); }}>
        <div className="row">
          <label htmlFor="path-direction">Paths</label>
          <select id="path-direction" value={query.direction}
            onChange={(e) => setQuery({ ...query, direction: e.target.value as PathQuery['direction'] })}>
            <option value="after">after the first</option>
            <option value="before">leading to the first</option>
          </select>
        </div>
        <EventMatchEditor match={query.anchor} label="Anchor" id="path-anchor" pointer={anchor} error={error}
          onChange={(next) => setQuery({ ...query, anchor: next })} />
        <FieldError error={error} pointer="/start" id="path-start-error" />
        <div className="row">
          <label htmlFor="path-depth">Steps</label>
          <input id="path-depth" type="number" min={1} max={5} style={{ width: 60 }} value={query.depth}
            onChange={(e) => setQuery({ ...query, depth: Number(e.target.value) })} {...invalid(error, '/depth', 'path-depth-error')} />
          <FieldError error={error} pointer="/depth" id="path-depth-error" />
          <label htmlFor="path-top">Top</label>
          <input id="path-top" type="number" min={1} max={20} style={{ width: 60 }} value={query.top}
            onChange={(e) => setQuery({ ...query, top: Number(e.target.value) })} {...invalid(error, '/top', 'path-top-error')} />
          <span className="muted">events per step, the rest as “other”</span>
          <FieldError error={error} pointer="/top" id="path-top-error" />
          <label><input type="checkbox" checked={query.collapseRepeats}
            onChange={(e) => setQuery({ ...query, collapseRepeats: e.target.checked })} /> count repeats once</label>
        </div>
        <div className="row actions">
          <button type="submit" disabled={run.loading}>{run.loading ? 'Running…' : 'Show paths'}</button>
          <Downloads path="/v1/analytics/paths" body={pathRequest(query, range)} filename={`paths-${range.from}-${range.to}`}
            report={{ question: { kind: 'paths', request: pathRequest(query, range) }, range, lastDataDay }} />
        </div>
      </form>
      <div aria-live="polite">
        <Status loading={run.loading} error={run.error} />
        {run.result && <PathAnswer result={run.result} />}
      </div>
    </>
  );
}

function PathAnswer({ result }: { result: PathResult }) {
  const data = useMemo(() => {
    // one colour per event, wherever it sits in the paths
    const sankey = sankeyData(result);
    const colours = new Map<string, string>();
    const nodes = sankey.nodes.map((n) => {
      if (!colours.has(n.caption)) colours.set(n.caption, n.caption === 'other' ? '#9aa5b8' : PALETTE[colours.size % PALETTE.length]);
      return { ...n, itemStyle: { color: colours.get(n.caption) } };
    });
    return { nodes, links: sankey.links };
  }, [result]);
  const option = useMemo(() => ({
    tooltip: {
      trigger: 'item' as const,
      formatter: formatter<{ dataType: string; data: { caption?: string; value: number; dropOff?: number; step?: number; source?: string; target?: string } }>((p) => {
        if (p.dataType === 'edge') {
          const label = (id: string) => id.slice(id.indexOf(':') + 1);
          return `${label(p.data.source!)} → ${label(p.data.target!)}: ${count(p.data.value)} profiles`;
        }
        return `${p.data.caption} (${stepName(p.data.step!, result.direction)}): ${count(p.data.value)} profiles, ${count(p.data.dropOff!)} end here`;
      }),
    },
    series: [{
      type: 'sankey' as const, left: 10, right: 140, top: 10, bottom: 10, nodeAlign: 'left' as const, layoutIterations: 32,
      emphasis: { focus: 'adjacency' as const },
      label: { formatter: formatter<{ data: { caption: string; value: number } }>((p) => `${p.data.caption} (${count(p.data.value)})`) },
      lineStyle: { color: 'gradient' as const, curveness: 0.5, opacity: 0.35 },
      data: data.nodes, links: data.links,
    }],
  }), [data, result.direction]);
  type Node = PathResult['nodes'][number];
  const columns: Column<Node>[] = [
    { key: 'step', label: 'Step', sortValue: (n) => n.step, render: (n) => stepName(n.step, result.direction) },
    { key: 'label', label: 'Event' },
    { key: 'profiles', label: 'Profiles', numeric: true, render: (n) => count(n.profiles) },
    { key: 'dropOff', label: 'Path ends', numeric: true, render: (n) => count(n.dropOff) },
  ];
  return (
    <div className="card" role="region" aria-label="Paths result">
      <h2>{result.direction === 'after' ? 'What they did next' : 'What they did before'}</h2>
      <p><span className="kpi" data-kpi="Path profiles">{count(result.profiles)}</span> profiles · {result.durationMs} ms</p>
      {result.profiles === 0 ? <p className="muted">Nobody did the anchor event in this range.</p> : (
        <>
          <Chart option={option} height={Math.max(320, 34 * Math.max(...countPerStep(result)))} label="Paths as a Sankey diagram" />
          <DataTable label="Path steps" columns={columns} rows={result.nodes} rowKey={(n) => n.id} pageSize={15} />
        </>
      )}
    </div>
  );
}

const PALETTE = ['#2f6fde', '#36a38b', '#e8833a', '#8a5cd1', '#d64569', '#c9a227', '#2aa3c9', '#6b8e23', '#b5651d', '#5a6b8c'];

function countPerStep(result: PathResult): number[] {
  const counts = new Map<number, number>();
  result.nodes.forEach((n) => counts.set(n.step, (counts.get(n.step) ?? 0) + 1));
  return [...counts.values(), 1];
}
