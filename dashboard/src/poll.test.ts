import { describe, expect, it } from 'vitest';
import { active, followRun, JobRun, PollAborted, pollUntil, PollTimeout, progressOf } from './poll';

const run = (over: Partial<JobRun>): JobRun => ({ runId: 'r1', job: 'recommendations', trigger: 'manual', status: 'queued', attempt: 1, queuedAt: '2026-12-01T10:00:00Z', ...over });

/** A clock that moves only when the poller sleeps. */
function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; } };
}

describe('following a long operation', () => {
  it('asks again every interval until it is over, showing every state', async () => {
    const answers = [run({}), run({ status: 'running', progress: { fraction: 0.4, step: 'evaluating' } }), run({ status: 'succeeded', result: { versionId: 'r1' } })];
    const seen: string[] = [];
    const c = clock();
    const last = await pollUntil(async () => answers.shift()!, (r) => !active(r), (r) => seen.push(r.status), { interval: 1500, sleep: c.sleep, now: c.now });
    expect(last.status).toBe('succeeded');
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
    expect(c.sleeps).toEqual([1500, 1500]);
  });

  it('gives up after its timeout with the last answer, stops when aborted, and passes errors on', async () => {
    const c = clock();
    const timeout = await pollUntil(async () => run({ status: 'running' }), (r) => !active(r), undefined, { interval: 1000, timeout: 3000, sleep: c.sleep, now: c.now })
      .catch((e) => e);
    expect(timeout).toBeInstanceOf(PollTimeout);
    expect((timeout as PollTimeout).last).toMatchObject({ status: 'running' });
    const controller = new AbortController();
    let asked = 0;
    const aborted = await pollUntil(async () => { asked += 1; if (asked === 2) controller.abort(); return run({ status: 'running' }); },
      (r) => !active(r), undefined, { signal: controller.signal, sleep: async () => undefined }).catch((e) => e);
    expect(aborted).toBeInstanceOf(PollAborted);
    expect(asked).toBe(2);
    await expect(pollUntil(async () => { throw new Error('503'); }, () => true)).rejects.toThrow('503');
  });

  it("follows a failed attempt's retry to the last attempt's outcome", async () => {
    const states: Record<string, JobRun[]> = {
      r1: [run({ status: 'running' }), run({ status: 'failed', errorType: 'job-error', error: 'boom', retriedBy: 'r2' })],
      r2: [run({ runId: 'r2', attempt: 2, trigger: 'retry', notBefore: '2026-12-01T10:01:00Z' }), run({ runId: 'r2', attempt: 2, status: 'succeeded' })],
    };
    const asked: string[] = [];
    const final = await followRun('r1', async (id) => { asked.push(id); return states[id].shift()!; }, undefined, { sleep: async () => undefined });
    expect(final).toMatchObject({ runId: 'r2', status: 'succeeded' });
    expect(asked).toEqual(['r1', 'r1', 'r2', 'r2']);
    // a failure without a retry is the answer
    const failed = await followRun('r3', async () => run({ runId: 'r3', status: 'failed', errorType: 'invalid-data', error: 'no interactions' }));
    expect(progressOf(failed)).toEqual({ fraction: null, label: 'failed (invalid-data): no interactions' });
  });

  it('says how far a run is', () => {
    expect(progressOf(run({ status: 'running', progress: { fraction: 0.25, step: 'fitting ALS' } }))).toEqual({ fraction: 0.25, label: 'fitting ALS' });
    expect(progressOf(run({ status: 'running' }))).toEqual({ fraction: null, label: 'running' });
    expect(progressOf(run({ status: 'running', progress: { fraction: 1.7, step: 'x' } })).fraction).toBe(1);
    expect(progressOf(run({ status: 'queued', attempt: 2, notBefore: '2026-12-01T10:01:00Z' })).label).toBe('retry 2 waiting until 2026-12-01 10:01:00');
    expect(progressOf(run({ status: 'succeeded' }))).toEqual({ fraction: 1, label: 'succeeded' });
    expect(active(run({ status: 'queued' }))).toBe(true);
    expect(active({ status: 'paused' })).toBe(false);
    expect(active(null)).toBe(false);
  });
});
