/**
 * The marts job: the lake's clean events turned into daily per-customer aggregates,
 * product/category/brand sales, campaign and kiosk zone marts in PostgreSQL, a range of
 * days at a time, each rerun replacing its days.
 */
package io.lodestar.etl.marts;
