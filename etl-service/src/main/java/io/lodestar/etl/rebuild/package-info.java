/**
 * The profile rebuild: profiles recomputed from the lake, the drift reported.
 */
package io.lodestar.etl.rebuild;
