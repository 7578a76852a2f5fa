import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts';
import { ApiError, can, download } from './api';
import { draftReport, Question, stashDraft } from './reports';

/** Loading, error (the problem's title, detail, pointer and pointed errors) and empty states. */
export function Status({ loading, error, empty, emptyText }: {
  loading?: boolean; error?: unknown; empty?: boolean; emptyText?: string;
}) {
  if (loading) return <p className="muted" role="status">Loading…</p>;
  if (error) {
    const problem = error instanceof ApiError ? error.problem : { title: String(error) } as ApiError['problem'];
    return (
      <div className="error" role="alert">
        <strong>{problem.title ?? 'Error'}</strong>
        {problem.detail && <span> — {problem.detail}</span>}
        {problem.pointer && <span> (<code>{problem.pointer}</code>)</span>}
        {problem.errors && (
          <ul>{problem.errors.map((e) => <li key={e.pointer + e.reason}><code>{e.pointer}</code> {e.reason}</li>)}</ul>
        )}
      </div>
    );
  }
  if (empty) return <p className="muted">{emptyText ?? 'Nothing here yet.'}</p>;
  return null;
}

/** The reason a problem gives for the field at `pointer` (a JSON pointer or a query parameter). */
export function reasonAt(error: unknown, pointer: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const { problem } = error;
  if (problem.pointer === pointer) return problem.detail ?? problem.title;
  return problem.errors?.find((e) => e.pointer === pointer)?.reason;
}

/** The problem's reason shown next to the field it points at; the field names it in aria-describedby. */
export function FieldError({ error, pointer, id }: { error: unknown; pointer: string; id: string }) {
  const reason = reasonAt(error, pointer);
  return reason ? <span className="field-error" id={id} role="alert">{reason}</span> : null;
}

/** Props a field takes when a problem may point at it. */
export function invalid(error: unknown, pointer: string, id: string) {
  return reasonAt(error, pointer) ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

/**
 * Runs an async load on mount and whenever the deps change. `reload` shows the loading state
 * again; `refresh` asks again quietly, keeping what is shown until the answer is in (for polling).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState({ n: 0, quiet: false });
  useEffect(() => {
    let live = true;
    if (!version.quiet) setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then((data) => live && setState({ data, loading: false }),
      (error) => live && setState((s) => ({ data: version.quiet ? s.data : undefined, error, loading: false })));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  return {
    ...state,
    reload: () => setVersion((v) => ({ n: v.n + 1, quiet: false })),
    refresh: () => setVersion((v) => ({ n: v.n + 1, quiet: true })),
  };
}

/** Calls `refresh` every `interval` ms while `when` holds (a run is queued or running). */
export function usePolling(when: boolean, refresh: () => void, interval = 1500, tick?: unknown) {
  const callback = useRef(refresh);
  callback.current = refresh;
  useEffect(() => {
    if (!when) return undefined;
    const timer = setTimeout(() => callback.current(), interval);
    return () => clearTimeout(timer);
  }, [when, interval, tick]);
}

/** A progress bar for a long operation: its fraction when known, else an indeterminate one; the label says what it does. */
export function Progress({ fraction, label, id }: { fraction: number | null; label: string; id?: string }) {
  return (
    <div className="progress" id={id}>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(100 * fraction)} className={fraction === null ? 'bar indeterminate' : 'bar'}>
        <span style={{ width: fraction === null ? undefined : `${Math.round(100 * fraction)}%` }} />
      </div>
      <span className="muted">{fraction === null ? label : `${Math.round(100 * fraction)}% · ${label}`}</span>
    </div>
  );
}

/**
 * An ECharts chart that follows its option and the width of its box (window resizes, a tablet
 * turned round, a grid column growing); `onClick` gets the clicked item's data.
 */
export function Chart({ option, height = 260, label, onClick }: {
  option: echarts.EChartsOption; height?: number; label: string; onClick?: (data: unknown) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!element.current) return undefined;
    const instance = echarts.init(element.current);
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params.data));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => { observer.disconnect(); instance.dispose(); chart.current = null; };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={element} className="chart" style={{ height }} role="img" aria-label={label} />;
}

export interface Column<T> {
  key: string;
  label: string;
  /** What the cell shows; the row's field `key` when absent. */
  render?: (row: T) => ReactNode;
  /** What the column sorts by; the row's field `key` when absent. */
  sortValue?: (row: T) => number | string | null | undefined;
  numeric?: boolean;
}

/** A table that sorts by any column (click or Enter on its header) and pages its rows. */
export function DataTable<T>({ columns, rows, label, pageSize = 20, initialSort, rowKey }: {
  columns: Column<T>[]; rows: T[]; label: string; pageSize?: number;
  initialSort?: { key: string; descending: boolean }; rowKey: (row: T, index: number) => string;
}) {
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [rows]);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column || !sort) return rows;
    const of = column.sortValue ?? ((row: T) => (row as Record<string, unknown>)[column.key] as number | string | null);
    return [...rows].sort((a, b) => {
      const x = of(a);
      const y = of(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
  }, [rows, columns, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize);
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>{columns.map((c) => {
            const active = sort?.key === c.key;
            return (
              <th key={c.key} className={c.numeric ? 'num' : undefined}
                aria-sort={active ? (sort!.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="sort" onClick={() => setSort({ key: c.key, descending: active ? !sort!.descending : !!c.numeric })}>
                  {c.label}{active ? (sort!.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            );
          })}</tr>
        </thead>
        <tbody>{shown.map((row, i) => (
          <tr key={rowKey(row, current * pageSize + i)}>{columns.map((c) => (
            <td key={c.key} className={c.numeric ? 'num' : undefined}>
              {c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? '')}
            </td>
          ))}</tr>
        ))}</tbody>
      </table>
      {sorted.length > pageSize && (
        <div className="row pager">
          <button type="button" className="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>Previous</button>
          <span className="muted">{current * pageSize + 1}–{Math.min((current + 1) * pageSize, sorted.length)} of {sorted.length}</span>
          <button type="button" className="secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>Next</button>
        </div>
      )}
    </div>
  );
}

export function formatTime(iso?: string) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) : '—';
}

/** `path` with `format=…` added to its query. */
export function withFormat(path: string, format: 'csv' | 'pdf'): string {
  return `${path}${path.includes('?') ? '&' : '?'}format=${format}`;
}

/** A button that downloads a file the API streams, with its own busy and error state. */
export function DownloadButton({ path, filename, body, label }: { path: string; filename: string; body?: unknown; label: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      await download(path, filename, body);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="secondary" onClick={save} disabled={busy}>{busy ? 'Downloading…' : label}</button>
      {error !== undefined && <Status error={error} />}
    </>
  );
}

/**
 * An analytics answer as CSV and as a printable PDF (`format=csv|pdf` on the same question,
 * posted again for funnels and paths), and — for callers with `reports:manage` — the same
 * question as a scheduled report: the Reports page opens its form on it.
 */
export function Downloads({ path, filename, body, report }: {
  path: string; filename: string; body?: unknown;
  report?: { question: Question; range: { from: string; to: string }; lastDataDay?: string | null };
}) {
  return (
    <span className="downloads">
      <DownloadButton path={withFormat(path, 'csv')} filename={`${filename}.csv`} body={body} label="Download CSV" />
      <DownloadButton path={withFormat(path, 'pdf')} filename={`${filename}.pdf`} body={body} label="Download PDF" />
      {report && can('reports:manage') && (
        <button type="button" className="secondary" onClick={() => {
          stashDraft(draftReport(report.question, report.range, report.lastDataDay));
          window.location.hash = '#/reports/new';
        }}>Schedule as report…</button>
      )}
    </span>
  );
}

/** An ECharts formatter over the item's own fields (ECharts' typings only know its generic parameters). */
export function formatter<P>(format: (params: P) => string): (params: unknown) => string {
  return (params) => format(params as P);
}
