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
 * A row of {@code profile.profile_merge}: a profile that was merged into another.
 */
@Entity
@Immutable
@Table(name = "profile_merge")
@IdClass(ProfileMergeEntity.Key.class)
class ProfileMergeEntity {

	@Id
	@Column(name = "workspace_id")
	private String workspaceId;

	@Id
	@Column(name = "merged_profile_id")
	private UUID mergedProfileId;

	@Column(name = "into_profile_id")
	private UUID intoProfileId;

	@Column(name = "reason")
	private String reason;

	@Column(name = "merged_at")
	private Instant mergedAt;

	protected ProfileMergeEntity() {
	}

	UUID intoProfileId() {
		return this.intoProfileId;
	}

	record Key(String workspaceId, UUID mergedProfileId) implements Serializable {
	}

}
