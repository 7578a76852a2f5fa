/**
 * Load generators for the benchmarks in {@code docs/benchmarks.md}: loopback only,
 * bounded in count and time, stopping by themselves.
 */
package io.lodestar.stack.bench;
