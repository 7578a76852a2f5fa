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
 * A row of {@code profile.profile_identity}: an identifier that resolves to a profile.
 */
@Entity
@Immutable
@Table(name = "profile_identity")
@IdClass(ProfileIdentityEntity.Key.class)
class ProfileIdentityEntity {

	@Id
	@Column(name = "workspace_id")
	private String workspaceId;

	@Id
	@Column(name = "kind")
	private String kind;

	@Id
	@Column(name = "value")
	private String value;

	@Column(name = "profile_id")
	private UUID profileId;

	@Column(name = "first_seen_at")
	private Instant firstSeenAt;

	@Column(name = "last_seen_at")
	private Instant lastSeenAt;

	protected ProfileIdentityEntity() {
	}

	String kind() {
		return this.kind;
	}

	String value() {
		return this.value;
	}

	UUID profileId() {
		return this.profileId;
	}

	Instant firstSeenAt() {
		return this.firstSeenAt;
	}

	Instant lastSeenAt() {
		return this.lastSeenAt;
	}

	record Key(String workspaceId, String kind, String value) implements Serializable {
	}

}
