import { describe, expect, it } from 'vitest';
import { collectDropped, DroppedPage, DroppedRequest, dropoutSegmentName, dropoutSegmentRequest } from './dropouts';
import { FunnelRequest } from './funnel';

const funnel: FunnelRequest = {
  steps: [{ event: 'Product Viewed' }, { event: 'Checkout Started' }, { event: 'Order Completed' }],
  window: 'P7D', from: '2025-06-01', to: '2025-06-30',
};
const labels = ['Product Viewed', 'Checkout Started', 'Order Completed'];
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The API's paging over `total` dropped profiles, ordered by id: a page is full when it has `limit` ids. */
function droppedApi(total: number) {
  const asked: DroppedRequest[] = [];
  const fetchPage = async (request: DroppedRequest): Promise<DroppedPage> => {
    asked.push(request);
    const after = request.cursor ? Number(request.cursor.slice(-12)) : 0;
    const profiles = [];
    for (let n = after + 1; n <= Math.min(total, after + request.limit); n++) {
      profiles.push({ profileId: id(n), userId: null, reachedPreviousStepAt: '2025-06-02T10:00:00Z' });
    }
    return { step: request.step, profiles, nextCursor: profiles.length === request.limit ? profiles[profiles.length - 1].profileId : null };
  };
  return { asked, fetchPage };
}

describe('saving a funnel step\'s drop-outs as a segment', () => {
  it('collects every page, 1,000 at a time, with the funnel and step', async () => {
    const api = droppedApi(2_345);
    const seen: number[] = [];
    const collected = await collectDropped(api.fetchPage, funnel, 3, (n) => seen.push(n));
    expect(collected.more).toBe(false);
    expect(collected.profileIds).toHaveLength(2_345);
    expect(new Set(collected.profileIds).size).toBe(2_345);
    expect(collected.profileIds[2_344]).toBe(id(2_345));
    expect(api.asked).toEqual([
      { funnel, step: 3, limit: 1000 },
      { funnel, step: 3, limit: 1000, cursor: id(1000) },
      { funnel, step: 3, limit: 1000, cursor: id(2000) },
    ]);
    expect(seen).toEqual([1000, 2000, 2345]);
  });

  it('stops at 10,000 ids and says whether more dropped', async () => {
    const more = droppedApi(12_000);
    const over = await collectDropped(more.fetchPage, funnel, 2);
    expect(over.profileIds).toHaveLength(10_000);
    expect(over.more).toBe(true);
    expect(more.asked).toHaveLength(11);
    expect(more.asked[10]).toEqual({ funnel, step: 2, limit: 1, cursor: id(10_000) });

    const exactly = droppedApi(10_000);
    const full = await collectDropped(exactly.fetchPage, funnel, 2);
    expect(full.profileIds).toHaveLength(10_000);
    expect(full.more).toBe(false);
  });

  it('asks no more than a small list needs', async () => {
    const api = droppedApi(3);
    expect(await collectDropped(api.fetchPage, funnel, 2)).toEqual({ profileIds: [id(1), id(2), id(3)], more: false });
    expect(api.asked).toEqual([{ funnel, step: 2, limit: 1000 }]);
  });

  it('builds the segment the API takes: a profiles rule, described by funnel, step and dates', () => {
    expect(dropoutSegmentName(funnel, 3, labels)).toBe('Dropped before Order Completed (2025-06-01 – 2025-06-30)');
    const body = dropoutSegmentRequest(' Checkout, no order ', funnel, 3, labels, { profileIds: [id(7), id(9)], more: false });
    expect(JSON.stringify(body)).toBe(JSON.stringify({
      name: 'Checkout, no order',
      description: 'Profiles who dropped out of the funnel 1. Product Viewed → 2. Checkout Started → 3. Order Completed'
        + ' before step 3: did step 2 “Checkout Started” and not step 3 “Order Completed” within 7 days,'
        + ' 2025-06-01 – 2025-06-30 (UTC days).',
      rule: { type: 'profiles', profileIds: [id(7), id(9)] },
    }));
  });

  it('says in the description when only the first 10,000 were kept', () => {
    const ids = Array.from({ length: 10_000 }, (_, n) => id(n + 1));
    const body = dropoutSegmentRequest('Lost at checkout', { ...funnel, window: undefined }, 2, labels, { profileIds: ids, more: true });
    expect(body.description).toBe('Profiles who dropped out of the funnel 1. Product Viewed → 2. Checkout Started → 3. Order Completed'
      + ' before step 2: did step 1 “Product Viewed” and not step 2 “Checkout Started”, 2025-06-01 – 2025-06-30 (UTC days).'
      + ' More dropped than a list holds: the first 10,000 by profile id.');
    expect(body.rule.profileIds).toHaveLength(10_000);
  });
});
