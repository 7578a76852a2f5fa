package io.lodestar.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who an event is about, as the source knows it. At least one of the two is present.
 *
 * @param userId the business's own id of a known person
 * @param anonymousId the SDK's id of a browser or device before the person is known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Identity(String userId, String anonymousId) {

	/**
	 * The id that partitions this identity's events: the user id when known.
	 * @return the user id, else the anonymous id
	 */
	public String partitionId() {
		return (this.userId != null) ? this.userId : this.anonymousId;
	}

}
