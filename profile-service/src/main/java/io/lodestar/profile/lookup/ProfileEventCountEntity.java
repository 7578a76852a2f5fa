package io.lodestar.profile.lookup;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code profile.profile_event_count}: how often a profile did an event type or
 * named track event.
 */
@Entity
@Immutable
@Table(name = "profile_event_count")
@IdClass(ProfileEventCountEntity.Key.class)
class ProfileEventCountEntity {

	@Id
	@Column(name = "workspace_id")
	private String workspaceId;

	@Id
	@Column(name = "profile_id")
	private UUID profileId;

	@Id
	@Column(name = "event_type")
	private String eventType;

	@Id
	@Column(name = "event_name")
	private String eventName;

	@Column(name = "event_count")
	private long eventCount;

	@Column(name = "first_at")
	private Instant firstAt;

	@Column(name = "last_at")
	private Instant lastAt;

	protected ProfileEventCountEntity() {
	}

	String eventType() {
		return this.eventType;
	}

	String eventName() {
		return this.eventName;
	}

	long eventCount() {
		return this.eventCount;
	}

	record Key(String workspaceId, UUID profileId, String eventType, String eventName) implements Serializable {
	}

}
