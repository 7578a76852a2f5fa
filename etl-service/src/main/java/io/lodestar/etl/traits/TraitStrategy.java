package io.lodestar.etl.traits;

/**
 * How a trait's new value combines with the one a profile holds.
 */
public enum TraitStrategy {

	/** The value applied last wins (the default; on a merge, the survivor's). */
	LATEST,
	/** The first value stays (on a merge, the value of the profile seen first). */
	FIRST,
	/** The larger number stays (non-numbers: as latest). */
	MAX,
	/** The smaller number stays (non-numbers: as latest). */
	MIN,
	/** Values collect into a set (a JSON array of distinct values). */
	APPEND

}
