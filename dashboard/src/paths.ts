// Path analysis (`POST /v1/analytics/paths`) as an ECharts Sankey. The API names its nodes
// `<step>:<label>` — the same label can sit at several steps, and a Sankey needs one name per
// node — so the node's name is the id and its label is shown. Paths before an end event come
// back with step 0 at the anchor and links pointing away from it; drawn, they flow towards it.

import { EventMatch, matchJson } from './funnel';

export interface PathNode { id: string; step: number; label: string; profiles: number; dropOff: number }
export interface PathLink { source: string; target: string; profiles: number }
export interface PathResult {
  from: string; to: string; direction: 'after' | 'before'; profiles: number;
  nodes: PathNode[]; links: PathLink[]; durationMs: number;
}

export interface PathQuery {
  direction: 'after' | 'before';
  anchor: EventMatch;
  depth: number;
  top: number;
  collapseRepeats: boolean;
}

export function newPathQuery(): PathQuery {
  return { direction: 'after', anchor: { event: 'Product Viewed' }, depth: 4, top: 5, collapseRepeats: true };
}

/** The request: `start` (paths after it) or `end` (paths before it), depth, top, range, repeats. */
export function pathRequest(query: PathQuery, range: { from: string; to: string }) {
  return {
    [query.direction === 'after' ? 'start' : 'end']: matchJson(query.anchor),
    depth: query.depth,
    top: query.top,
    from: range.from,
    to: range.to,
    collapseRepeats: query.collapseRepeats,
  };
}

/** A Sankey node: `name` is the API's unique id, `caption` the event it shows. */
export interface SankeyNode { name: string; caption: string; step: number; depth: number; value: number; dropOff: number }
export interface SankeyLink { source: string; target: string; value: number }

/** Nodes with unique names and a column each (the anchor first, or last for paths before it). */
export function sankeyData(result: PathResult): { nodes: SankeyNode[]; links: SankeyLink[] } {
  const deepest = result.nodes.reduce((max, node) => Math.max(max, node.step), 0);
  const before = result.direction === 'before';
  const nodes = result.nodes.map((node) => ({
    name: node.id,
    caption: node.label,
    step: node.step,
    depth: before ? deepest - node.step : node.step,
    value: node.profiles,
    dropOff: node.dropOff,
  }));
  const links = result.links.map((link) => (before
    ? { source: link.target, target: link.source, value: link.profiles }
    : { source: link.source, target: link.target, value: link.profiles }));
  return { nodes, links };
}

/** Where a node sits, in words: "step 2 after" / "step 1 before" / "start" / "end". */
export function stepName(step: number, direction: 'after' | 'before'): string {
  if (step === 0) return direction === 'after' ? 'start' : 'end';
  return `step ${step} ${direction}`;
}
