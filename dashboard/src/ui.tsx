import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts';
import { ApiError } from './api';

/** Loading, error (the problem's title, detail and pointed errors) and empty states. */
export function Status({ loading, error, empty, emptyText }: {
  loading?: boolean; error?: unknown; empty?: boolean; emptyText?: string;
}) {
  if (loading) return <p className="muted" role="status">Loading…</p>;
  if (error) {
    const problem = error instanceof ApiError ? error.problem : { title: String(error) };
    return (
      <div className="error" role="alert">
        <strong>{problem.title ?? 'Error'}</strong>
        {problem.detail && <span> — {problem.detail}</span>}
        {problem.errors && (
          <ul>{problem.errors.map((e) => <li key={e.pointer + e.reason}><code>{e.pointer}</code> {e.reason}</li>)}</ul>
        )}
      </div>
    );
  }
  if (empty) return <p className="muted">{emptyText ?? 'Nothing here yet.'}</p>;
  return null;
}

/** Runs an async load on mount and whenever the deps change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then((data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  return { ...state, reload: () => setVersion((v) => v + 1) };
}

/** An ECharts chart that follows its option. */
export function Chart({ option, height = 260, label }: { option: echarts.EChartsOption; height?: number; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [option]);
  return <div ref={element} style={{ height }} role="img" aria-label={label} />;
}

export function formatTime(iso?: string) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) : '—';
}
