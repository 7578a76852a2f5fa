package io.lodestar.ingestion.connector.management;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulesTest {

	private static final Instant AT = Instant.parse("2026-11-24T02:59:30Z");

	@Test
	void fiveFieldCrontabIsMinuteFirstInUtc() {
		assertThat(Schedules.next("0 3 * * *", AT)).isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
		assertThat(Schedules.next("*/15 * * * *", AT)).isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
	}

	@Test
	void sixFieldsAndMacrosAreAccepted() {
		assertThat(Schedules.next("30 0 4 * * *", AT)).isEqualTo(Instant.parse("2026-11-24T04:00:30Z"));
		assertThat(Schedules.next("@daily", AT)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
		assertThat(Schedules.next("@hourly", AT)).isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
	}

	@Test
	void anythingElseIsNotASchedule() {
		assertThat(Schedules.parse("every day")).isEmpty();
		assertThat(Schedules.parse("61 * * * *")).isEmpty();
		assertThat(Schedules.parse("")).isEmpty();
		assertThat(Schedules.parse(null)).isEmpty();
	}

}
