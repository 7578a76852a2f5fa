/**
 * The lake: clean events in an Iceberg table, with row-level erasure.
 */
package io.lodestar.etl.lake;
