package io.lodestar.etl.jobs;

import java.util.Map;

/**
 * What a successful run did.
 *
 * @param rowsIn rows the job read
 * @param rowsOut rows the job wrote
 * @param summary the job's own summary (kept on the run as {@code result})
 */
public record JobResult(long rowsIn, long rowsOut, Map<String, Object> summary) {
}
