// Long operations (a job run, a connector run, a model waiting for its promotion decision) are
// followed by asking the API again until they are over: a run's state is only ever what the
// server last said, never a guess on a timer.

/** A batch job's run as etl-service answers it (`GET /v1/jobs/runs/{runId}`). */
export interface JobRun {
  runId: string; job: string; trigger: string; status: 'queued' | 'running' | 'succeeded' | 'failed';
  attempt: number; retryOf?: string; retriedBy?: string; parameters?: Record<string, unknown>;
  from?: string; to?: string; scheduledFor?: string; queuedAt: string; notBefore?: string; startedAt?: string;
  finishedAt?: string; durationMs?: number; rowsIn?: number; rowsOut?: number;
  progress?: { fraction: number; step: string }; errorType?: string; error?: string; result?: Record<string, unknown>;
}

/** A connector's run (`GET /v1/connectors/{id}/runs`). */
export interface ConnectorRun {
  id: string; connectorId: string; trigger: string; status: 'queued' | 'running' | 'succeeded' | 'failed' | 'paused';
  requestedAt: string; startedAt?: string; finishedAt?: string; rows: number; rejected: number; pages: number;
  retries: number; watermarkBefore?: string; watermarkAfter?: string; error?: string; nextRunAt?: string;
}

/** Whether a run (of a job or a connector) may still change. */
export function active(run: { status: string } | null | undefined): boolean {
  return !!run && (run.status === 'queued' || run.status === 'running');
}

/** How far a job run is, for a progress bar: its fraction (0–1, null when unknown) and what it says it does. */
export function progressOf(run: JobRun): { fraction: number | null; label: string } {
  switch (run.status) {
    case 'queued':
      return { fraction: null, label: run.notBefore && run.attempt > 1 ? `retry ${run.attempt} waiting until ${run.notBefore.replace('T', ' ').slice(0, 19)}` : 'queued' };
    case 'running': {
      const fraction = run.progress ? Math.max(0, Math.min(1, run.progress.fraction)) : null;
      return { fraction, label: run.progress?.step ? run.progress.step : 'running' };
    }
    case 'succeeded':
      return { fraction: 1, label: 'succeeded' };
    default:
      return { fraction: null, label: `failed${run.errorType ? ` (${run.errorType})` : ''}${run.error ? `: ${run.error}` : ''}` };
  }
}

export interface PollOptions {
  /** Between two questions, in ms. */
  interval?: number;
  /** Give up after this long (ms), rejecting with a PollTimeout. */
  timeout?: number;
  signal?: AbortSignal;
  /** Waits `ms`; a test passes its own clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class PollTimeout extends Error {
  constructor(readonly last: unknown) {
    super('still not done: the server is working on it, look again later');
  }
}

export class PollAborted extends Error {
  constructor() {
    super('stopped following');
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Asks `load` again and again (every `interval` ms) until `done` holds for its answer; every
 * answer goes to `onUpdate` first. An error of `load` ends the polling with that error.
 */
export async function pollUntil<T>(load: () => Promise<T>, done: (value: T) => boolean,
  onUpdate: (value: T) => void = () => undefined, options: PollOptions = {}): Promise<T> {
  const { interval = 1000, timeout, signal, sleep = wait, now = Date.now } = options;
  const started = now();
  for (;;) {
    if (signal?.aborted) throw new PollAborted();
    const value = await load();
    if (signal?.aborted) throw new PollAborted();
    onUpdate(value);
    if (done(value)) return value;
    if (timeout !== undefined && now() - started >= timeout) throw new PollTimeout(value);
    await sleep(interval);
  }
}

/**
 * Follows a job run to its end, through the retries the scheduler queues for a failed attempt
 * (`retriedBy`): the answer is the last attempt's outcome. `onUpdate` sees every state of every attempt.
 */
export async function followRun(runId: string, load: (runId: string) => Promise<JobRun>,
  onUpdate: (run: JobRun) => void = () => undefined, options: PollOptions = {}): Promise<JobRun> {
  let id = runId;
  for (;;) {
    const run = await pollUntil(() => load(id), (r) => !active(r), onUpdate, options);
    if (run.status === 'failed' && run.retriedBy) {
      id = run.retriedBy;
      continue;
    }
    return run;
  }
}
