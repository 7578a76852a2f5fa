import { describe, expect, it } from 'vitest';
import { pathRequest, PathResult, sankeyData } from './paths';

// the answer AnalyticsIT works out by hand: after each profile's first Product Viewed, depth 3
const AFTER: PathResult = {
  from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', direction: 'after', profiles: 5, durationMs: 4,
  nodes: [
    { id: '0:Product Viewed', step: 0, label: 'Product Viewed', profiles: 5, dropOff: 0 },
    { id: '1:Product Added', step: 1, label: 'Product Added', profiles: 5, dropOff: 0 },
    { id: '2:Order Completed', step: 2, label: 'Order Completed', profiles: 3, dropOff: 1 },
    { id: '2:Cart Emptied', step: 2, label: 'Cart Emptied', profiles: 1, dropOff: 0 },
    { id: '2:page /home', step: 2, label: 'page /home', profiles: 1, dropOff: 1 },
    { id: '3:page /home', step: 3, label: 'page /home', profiles: 2, dropOff: 0 },
    { id: '3:Order Completed', step: 3, label: 'Order Completed', profiles: 1, dropOff: 0 },
  ],
  links: [
    { source: '0:Product Viewed', target: '1:Product Added', profiles: 5 },
    { source: '1:Product Added', target: '2:Order Completed', profiles: 3 },
    { source: '2:Order Completed', target: '3:page /home', profiles: 2 },
    { source: '1:Product Added', target: '2:Cart Emptied', profiles: 1 },
    { source: '1:Product Added', target: '2:page /home', profiles: 1 },
    { source: '2:Cart Emptied', target: '3:Order Completed', profiles: 1 },
  ],
};

describe('paths as a Sankey', () => {
  it('names every node uniquely by its id, shows its label and links only named nodes', () => {
    const { nodes, links } = sankeyData(AFTER);
    const names = nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(nodes.length);
    // the same event at two steps is two nodes with one caption
    expect(nodes.filter((n) => n.caption === 'page /home').map((n) => n.name)).toEqual(['2:page /home', '3:page /home']);
    expect(nodes.filter((n) => n.caption === 'Order Completed').map((n) => [n.name, n.depth, n.value]))
      .toEqual([['2:Order Completed', 2, 3], ['3:Order Completed', 3, 1]]);
    for (const link of links) {
      expect(names).toContain(link.source);
      expect(names).toContain(link.target);
    }
    expect(links).toContainEqual({ source: '1:Product Added', target: '2:Order Completed', value: 3 });
    expect(links.reduce((sum, l) => sum + l.value, 0)).toBe(13);
  });

  it('draws paths before an end event flowing towards it', () => {
    const before: PathResult = {
      ...AFTER, direction: 'before', profiles: 4,
      nodes: [
        { id: '0:Order Completed', step: 0, label: 'Order Completed', profiles: 4, dropOff: 0 },
        { id: '1:Product Added', step: 1, label: 'Product Added', profiles: 3, dropOff: 0 },
        { id: '1:Cart Emptied', step: 1, label: 'Cart Emptied', profiles: 1, dropOff: 0 },
        { id: '2:Product Viewed', step: 2, label: 'Product Viewed', profiles: 3, dropOff: 0 },
        { id: '2:Product Added', step: 2, label: 'Product Added', profiles: 1, dropOff: 0 },
      ],
      links: [
        { source: '0:Order Completed', target: '1:Product Added', profiles: 3 },
        { source: '0:Order Completed', target: '1:Cart Emptied', profiles: 1 },
        { source: '1:Product Added', target: '2:Product Viewed', profiles: 3 },
        { source: '1:Cart Emptied', target: '2:Product Added', profiles: 1 },
      ],
    };
    const { nodes, links } = sankeyData(before);
    expect(nodes.find((n) => n.name === '0:Order Completed')!.depth).toBe(2);
    expect(nodes.find((n) => n.name === '2:Product Viewed')!.depth).toBe(0);
    expect(links).toContainEqual({ source: '1:Product Added', target: '0:Order Completed', value: 3 });
    expect(links).toContainEqual({ source: '2:Product Added', target: '1:Cart Emptied', value: 1 });
  });

  it('asks for paths after a start or before an end event', () => {
    const range = { from: '2011-11-10', to: '2011-12-09' };
    expect(JSON.stringify(pathRequest({ direction: 'after', anchor: { event: 'Product Viewed' }, depth: 4, top: 5, collapseRepeats: true }, range)))
      .toBe('{"start":{"event":"Product Viewed"},"depth":4,"top":5,"from":"2011-11-10","to":"2011-12-09","collapseRepeats":true}');
    expect(pathRequest({ direction: 'before', anchor: { type: 'page', filters: [{ property: 'path', op: 'eq', value: '/checkout' }] },
      depth: 2, top: 3, collapseRepeats: false }, range))
      .toEqual({ end: { type: 'page', filters: [{ property: 'path', op: 'eq', value: '/checkout' }] }, depth: 2, top: 3, ...range, collapseRepeats: false });
  });
});
