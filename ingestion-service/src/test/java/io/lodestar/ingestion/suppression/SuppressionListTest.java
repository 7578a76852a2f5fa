package io.lodestar.ingestion.suppression;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.Identity;
import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

import static org.assertj.core.api.Assertions.assertThat;

class SuppressionListTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SuppressionList list = new SuppressionList(new JdbcTemplate());

	@Test
	void nobodyIsSuppressedInAWorkspaceWithoutErasures() {
		this.list.add("other", Identifiers.suppressionHash(IdentifierKind.USER_ID, "u-1"));

		assertThat(this.list.suppressed(event("demo", "u-1", null, Map.of(), Map.of()))).isFalse();
	}

	@Test
	void eventsCarryingAnyIdentifierOfAnErasedPersonAreSuppressed() {
		this.list.add("demo", Identifiers.suppressionHash(IdentifierKind.USER_ID, "u-1"));
		this.list.add("demo", Identifiers.suppressionHash(IdentifierKind.ANONYMOUS_ID, "a-1"));
		this.list.add("demo", Identifiers.suppressionHash(IdentifierKind.EMAIL_SHA256,
				Identifiers.emailHash("ada@lovelace.io").orElseThrow()));
		this.list.add("demo", Identifiers.suppressionHash(IdentifierKind.PHONE_SHA256,
				Identifiers.phoneHash("+44 20 7946 0958").orElseThrow()));
		this.list.add("demo", Identifiers.suppressionHash(IdentifierKind.DEVICE_ID, "idfa-1"));

		assertThat(this.list.suppressed(event("demo", " u-1 ", null, Map.of(), Map.of()))).isTrue();
		assertThat(this.list.suppressed(event("demo", null, "a-1", Map.of(), Map.of()))).isTrue();
		assertThat(this.list
			.suppressed(event("demo", null, "a-2", Map.of("traits", Map.of("email", " ADA@lovelace.io")), Map.of())))
			.isTrue();
		assertThat(this.list
			.suppressed(event("demo", null, "a-2", Map.of(), Map.of("traits", Map.of("phone", "+44-20-7946-0958")))))
			.isTrue();
		assertThat(this.list
			.suppressed(event("demo", null, "a-2", Map.of("properties", Map.of("email", "ada@lovelace.io")), Map.of())))
			.isTrue();
		assertThat(this.list
			.suppressed(event("demo", null, "a-2", Map.of(), Map.of("device", Map.of("advertisingId", "idfa-1")))))
			.isTrue();
		// someone else, and the same values under another kind, pass
		assertThat(this.list.suppressed(event("demo", "u-2", "a-2",
				Map.of("traits", Map.of("email", "grace@hopper.dev", "phone", 447946)), Map.of())))
			.isFalse();
		assertThat(this.list.suppressed(event("demo", "a-1", null, Map.of(), Map.of()))).isFalse();
		assertThat(this.list.suppressed(event("other", "u-1", null, Map.of(), Map.of()))).isFalse();
	}

	private static EventEnvelope event(String workspace, String userId, String anonymousId, Map<String, Object> payload,
			Map<String, Object> context) {
		Instant now = Instant.now();
		return new EventEnvelope(UUID.randomUUID(), "identify", "1-0-0", now, now, workspace, "default", "m-1",
				new Identity(userId, anonymousId), context, payload);
	}

}
