package io.lodestar.ingestion.collector;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast path means exactly what {@link OffsetDateTime#parse} means: the same instant
 * for every text it reads, a parse error for every text it refuses.
 */
class IsoInstantsTest {

	@Test
	void readsWhatOffsetDateTimeReads() {
		for (String text : List.of("2026-11-24T10:15:30Z", "2026-11-24T10:15:30.1Z", "2026-11-24T10:15:30.123Z",
				"2026-11-24T10:15:30.123456789Z", "2026-11-24T10:15:30+01:00", "2026-11-24T10:15:30.5-05:30",
				"2026-11-24T00:00:00+18:00", "2026-11-24T23:59:59-18:00", "2024-02-29T12:00:00Z",
				"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
				"2026-11-24T10:15Z", "2026-11-24t10:15:30z", "2026-11-24T10:15:30+01:00:30", "+12026-11-24T10:15:30Z",
				"2026-11-24T10:15:30.Z")) {
			assertThat(IsoInstants.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
		}
	}

	@Test
	void refusesWhatOffsetDateTimeRefuses() {
		for (String text : List.of("2026-11-24T10:15:30", "2026-02-29T10:15:30Z", "2026-13-01T10:15:30Z",
				"2026-11-31T10:15:30Z", "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z", "2026-11-24T10:15:60Z",
				"2026-11-24T10:15:30.1234567891Z", "2026-11-24T10:15:30+19:00", "2026-11-24T10:15:30+0100",
				"2026-11-24 10:15:30Z", "2026-1-24T10:15:30Z", "yesterday", "", "2026-11-24T10:15:30Zjunk",
				"2026-11-24T10:15:30+01:00junk")) {
			assertThatThrownBy(() -> OffsetDateTime.parse(text)).as("the reference refuses " + text)
				.isInstanceOf(DateTimeParseException.class);
			assertThatThrownBy(() -> IsoInstants.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
		}
	}

}
