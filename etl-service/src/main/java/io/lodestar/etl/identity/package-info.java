/**
 * The identity graph: which identifiers of an event resolve it to which profile, when two
 * profiles merge, and the batch job that recomputes it from the lake
 * ({@code docs/adr/0024-identity-graph.md}).
 */
package io.lodestar.etl.identity;
