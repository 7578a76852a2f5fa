package io.lodestar.etl.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.lodestar.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduler's rules that need no database: parameter checks, the backoff, error
 * texts, the history cursor.
 */
class JobSchedulerTest {

	private final BatchJob job = new BatchJob() {

		@Override
		public String name() {
			return "demo";
		}

		@Override
		public String description() {
			return "a job with parameters";
		}

		@Override
		public List<JobParameter> parameters() {
			return List.of(new JobParameter("rank", JobParameter.Type.INTEGER, "rank"),
					new JobParameter("alpha", JobParameter.Type.NUMBER, "alpha"),
					new JobParameter("grid", JobParameter.Type.BOOLEAN, "grid"),
					new JobParameter("label", JobParameter.Type.STRING, "label"));
		}

		@Override
		public boolean supportsDateRange() {
			return true;
		}

		@Override
		public void validate(JobRequest request) {
			if (((Number) request.parameters().getOrDefault("rank", 10)).intValue() < 1) {
				throw new IllegalArgumentException("rank must be at least 1");
			}
		}

		@Override
		public JobResult run(JobContext context) {
			return new JobResult(0, 0, Map.of());
		}
	};

	@Test
	void parametersAreTypedAndNumericStringsAccepted() {
		JobRequest checked = JobScheduler.check(this.job,
				new JobRequest(null, null, Map.of("rank", "20", "alpha", 40, "grid", true, "label", "x")));

		assertThat(checked.parameters()).containsEntry("rank", 20)
			.containsEntry("alpha", 40.0)
			.containsEntry("grid", true)
			.containsEntry("label", "x");
	}

	@Test
	void unknownAndMistypedParametersAreRefusedNamingThem() {
		assertThatThrownBy(() -> JobScheduler.check(this.job, new JobRequest(null, null, Map.of("ranks", 2))))
			.isInstanceOf(BadRequestException.class)
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.contains("no parameter 'ranks'")
				.contains("rank, alpha, grid, label"));
		assertThatThrownBy(() -> JobScheduler.check(this.job, new JobRequest(null, null, Map.of("rank", 2.5))))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("parameter 'rank' must be a whole number"));
		assertThatThrownBy(() -> JobScheduler.check(this.job, new JobRequest(null, null, Map.of("alpha", "much"))))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("parameter 'alpha' must be a number"));
		assertThatThrownBy(() -> JobScheduler.check(this.job, new JobRequest(null, null, Map.of("grid", "yes"))))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("parameter 'grid' must be true or false"));
		assertThatThrownBy(() -> JobScheduler.check(this.job, new JobRequest(null, null, Map.of("rank", 0))))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("rank must be at least 1"));
	}

	@Test
	void aDateRangeMustBeOrderedAndOnlyForJobsThatTakeOne() {
		assertThatThrownBy(() -> JobScheduler.check(this.job,
				new JobRequest(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 1), Map.of())))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("'from' is after 'to'"));
		BatchJob noRange = new BatchJob() {

			@Override
			public String name() {
				return "plain";
			}

			@Override
			public String description() {
				return "no range";
			}

			@Override
			public JobResult run(JobContext context) {
				return new JobResult(0, 0, Map.of());
			}
		};
		assertThatThrownBy(() -> JobScheduler.check(noRange, new JobRequest(LocalDate.of(2024, 1, 1), null, Map.of())))
			.satisfies((ex) -> assertThat(((BadRequestException) ex).getBody().getDetail())
				.isEqualTo("job 'plain' does not take a date range"));
	}

	@Test
	void backoffGrowsByTheMultiplierUpToItsCap() {
		SchedulerProperties properties = new SchedulerProperties(true, Duration.ofSeconds(15), "UTC", 1, 5,
				Duration.ofMinutes(1), 2, Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(10),
				Map.of());

		assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofMinutes(2));
		assertThat(properties.backoffAfter(3)).isEqualTo(Duration.ofMinutes(4));
		assertThat(properties.backoffAfter(4)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aDisabledOrBlankCronMeansNoSchedule() {
		SchedulerProperties properties = new SchedulerProperties(true, Duration.ofSeconds(15), "UTC", 1, 3,
				Duration.ofMinutes(1), 2, Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(10),
				Map.of("a", new SchedulerProperties.JobSchedule("-"), "b", new SchedulerProperties.JobSchedule(" "),
						"c", new SchedulerProperties.JobSchedule(" 0 0 2 * * * ")));

		assertThat(properties.cron("a")).isNull();
		assertThat(properties.cron("b")).isNull();
		assertThat(properties.cron("c")).isEqualTo("0 0 2 * * *");
		assertThat(properties.cron("missing")).isNull();
	}

	@Test
	void anErrorIsDescribedByItsClassMessageAndRootCauseWithoutAStackTrace() {
		Exception ex = new IllegalStateException("write failed",
				new RuntimeException("wrapped", new java.sql.SQLException("connection refused")));

		assertThat(JobScheduler.describe(ex))
			.isEqualTo("IllegalStateException: write failed (caused by SQLException: connection refused)");
		assertThat(JobScheduler.describe(new RuntimeException("x".repeat(5000)))).hasSize(2000);
	}

	@Test
	void theHistoryCursorRoundTripsAndRejectsForgeries() {
		RunCursor cursor = new RunCursor(Instant.parse("2026-11-30T10:15:30.123456Z"), UUID.randomUUID());

		assertThat(RunCursor.decode(cursor.encode())).isEqualTo(cursor);
		assertThatThrownBy(() -> RunCursor.decode("not-a-cursor")).isInstanceOf(BadRequestException.class);
	}

}
