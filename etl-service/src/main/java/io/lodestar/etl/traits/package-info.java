/**
 * Traits of a profile: per-trait merge strategies for the traits identify events send,
 * and the computed traits (sessions, orders, revenue, favourites, acquisition) kept with
 * every event's effect.
 */
package io.lodestar.etl.traits;
