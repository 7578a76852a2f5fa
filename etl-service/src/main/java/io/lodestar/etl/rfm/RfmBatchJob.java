package io.lodestar.etl.rfm;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobDataException;
import io.lodestar.etl.jobs.JobParameter;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobResult;

/**
 * RFM as a scheduled job ({@code rfm}): the run's id becomes the RFM run's id, so
 * {@code GET /v1/jobs/runs/{id}} and {@code profile.rfm_run} agree.
 */
@Component
class RfmBatchJob implements BatchJob {

	static final String NAME = "rfm";

	static final int K_MIN = 3;

	static final int K_MAX = 6;

	private final RfmJob rfm;

	RfmBatchJob(RfmJob rfm) {
		this.rfm = rfm;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "RFM scores and k-means value tiers of every buyer (profile.profile_rfm)";
	}

	@Override
	public List<JobParameter> parameters() {
		return List.of(
				new JobParameter("kMin", JobParameter.Type.INTEGER, "fewest clusters tried (default " + K_MIN + ")"),
				new JobParameter("kMax", JobParameter.Type.INTEGER, "most clusters tried (default " + K_MAX + ")"));
	}

	@Override
	public void validate(JobRequest request) {
		int kMin = ((Number) request.parameters().getOrDefault("kMin", K_MIN)).intValue();
		int kMax = ((Number) request.parameters().getOrDefault("kMax", K_MAX)).intValue();
		if (kMin < 2 || kMax < kMin || kMax > 12) {
			throw new IllegalArgumentException("kMin and kMax: 2 <= kMin <= kMax <= 12");
		}
	}

	@Override
	public JobResult run(JobContext context) {
		int kMin = context.intParameter("kMin", K_MIN);
		int kMax = context.intParameter("kMax", K_MAX);
		Map<String, Object> summary;
		try {
			summary = this.rfm.run(context.workspace(), kMin, kMax, context.runId(), context::progress);
		}
		catch (IllegalArgumentException ex) {
			throw new JobDataException("RFM needs purchases (Order Completed with a revenue) of at least 10 customers "
					+ "per cluster: " + ex.getMessage());
		}
		return new JobResult(((Number) summary.get("purchases")).longValue(),
				((Number) summary.get("profilesScored")).longValue(), summary);
	}

}
