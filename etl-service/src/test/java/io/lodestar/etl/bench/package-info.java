/**
 * The batch benchmark: generated or real events written into the lake, then the identity
 * recompute and the marts timed end to end, and the sales mart against DuckDB.
 */
package io.lodestar.etl.bench;
