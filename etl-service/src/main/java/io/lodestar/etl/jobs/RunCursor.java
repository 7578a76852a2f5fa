package io.lodestar.etl.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.lodestar.web.BadRequestException;

/**
 * Where a page of the run history ends: the last run's (queued_at, run_id), as an opaque
 * base64url token.
 *
 * @param queuedAt the last run's queue time
 * @param runId the last run's id
 */
record RunCursor(Instant queuedAt, UUID runId) {

	String encode() {
		String plain = this.queuedAt.getEpochSecond() + "." + this.queuedAt.getNano() + "." + this.runId;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	static RunCursor decode(String cursor) {
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.", 3);
			return new RunCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
					UUID.fromString(parts[2]));
		}
		catch (RuntimeException ex) {
			throw new BadRequestException("invalid-cursor", "Invalid cursor",
					"the cursor is not one this API returned");
		}
	}

}
