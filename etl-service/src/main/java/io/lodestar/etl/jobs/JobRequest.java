package io.lodestar.etl.jobs;

import java.time.LocalDate;
import java.util.Map;

/**
 * What a run is asked to do.
 *
 * @param from first day of the backfill range (inclusive), or null
 * @param to last day of the backfill range (inclusive), or null
 * @param parameters the job's parameters, checked against {@link BatchJob#parameters()}
 */
public record JobRequest(LocalDate from, LocalDate to, Map<String, Object> parameters) {

	public JobRequest {
		parameters = (parameters != null)
				? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters)) : Map.of();
	}

	/** No range, no parameters. */
	public static final JobRequest DEFAULT = new JobRequest(null, null, Map.of());

}
