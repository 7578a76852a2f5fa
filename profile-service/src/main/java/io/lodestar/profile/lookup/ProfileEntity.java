package io.lodestar.profile.lookup;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code profile.profile}. Written by etl-service; read-only here.
 */
@Entity
@Immutable
@Table(name = "profile")
@IdClass(ProfileEntity.Key.class)
class ProfileEntity {

	@Id
	@Column(name = "workspace_id")
	private String workspaceId;

	@Id
	@Column(name = "profile_id")
	private UUID profileId;

	@Column(name = "user_id")
	private String userId;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(name = "traits")
	private Map<String, Object> traits;

	@Column(name = "first_seen_at")
	private Instant firstSeenAt;

	@Column(name = "last_seen_at")
	private Instant lastSeenAt;

	@Column(name = "event_count")
	private long eventCount;

	protected ProfileEntity() {
	}

	String workspaceId() {
		return this.workspaceId;
	}

	UUID profileId() {
		return this.profileId;
	}

	String userId() {
		return this.userId;
	}

	Map<String, Object> traits() {
		return (this.traits != null) ? this.traits : Map.of();
	}

	Instant firstSeenAt() {
		return this.firstSeenAt;
	}

	Instant lastSeenAt() {
		return this.lastSeenAt;
	}

	long eventCount() {
		return this.eventCount;
	}

	record Key(String workspaceId, UUID profileId) implements Serializable {
	}

}
