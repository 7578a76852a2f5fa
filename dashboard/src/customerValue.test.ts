import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { JobRun } from './poll';
import { runRfm } from './views/CustomerValue';

const run = (status: JobRun['status'], extra: Partial<JobRun> = {}): JobRun => ({
  runId: 'r1', job: 'rfm', trigger: 'manual', status, attempt: 1, queuedAt: '2026-12-01T10:00:00Z', ...extra,
});

describe('Run RFM now', () => {
  it('asks for the run asynchronously and follows it, every state shown, to its end', async () => {
    const requests: { path: string; init: RequestInit }[] = [];
    const answers = [run('running', { progress: { fraction: 0.4, step: 'clustering' } }), run('succeeded', { result: { customers: 60 } })];
    const seen: string[] = [];
    const done = await runRfm(async (path, init) => { requests.push({ path, init }); return run('queued'); },
      async (id) => { expect(id).toBe('r1'); return answers.shift()!; },
      (r) => seen.push(r.status + (r.progress ? ` ${r.progress.step}` : '')), undefined, 0);
    expect(requests).toEqual([{ path: '/v1/jobs/rfm/runs', init: { method: 'POST', headers: { Prefer: 'respond-async' } } }]);
    expect(seen).toEqual(['queued', 'running clustering', 'succeeded']);
    expect(done.result).toEqual({ customers: 60 });
  });

  it('follows the run already going when the scheduler answers 409, and a failed attempt to its retry', async () => {
    const conflict = new ApiError(409, { type: 'https://lodestar.io/problems/job-already-running', title: 'Job already running', status: 409,
      activeRunId: 'r7' } as never);
    const loads: string[] = [];
    const done = await runRfm(async () => { throw conflict; }, async (id) => {
      loads.push(id);
      return id === 'r7' ? run('failed', { runId: 'r7', retriedBy: 'r8' }) : run('failed', { runId: 'r8', attempt: 2, errorType: 'invalid-data', error: 'too few customers (12) for 6 clusters' });
    }, () => undefined, undefined, 0);
    expect(loads).toEqual(['r7', 'r8']);
    expect(done.errorType).toBe('invalid-data');
  });

  it('passes on any other refusal', async () => {
    const refused = new ApiError(403, { title: 'Forbidden', status: 403 });
    await expect(runRfm(async () => { throw refused; }, async () => run('succeeded'), () => undefined)).rejects.toBe(refused);
  });
});
