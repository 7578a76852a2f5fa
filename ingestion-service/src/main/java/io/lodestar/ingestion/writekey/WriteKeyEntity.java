package io.lodestar.ingestion.writekey;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code ingestion.write_key}.
 */
@Entity
@Table(name = "write_key")
class WriteKeyEntity {

	@Id
	@Column(name = "key_hash", length = 64)
	private String keyHash;

	@Column(name = "key_id", insertable = false, updatable = false)
	@org.hibernate.annotations.Generated
	private java.util.UUID keyId;

	@Column(name = "workspace_id")
	private String workspaceId;

	@Column(name = "source_id")
	private String sourceId;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "revoked_at")
	private Instant revokedAt;

	protected WriteKeyEntity() {
	}

	WriteKeyEntity(String keyHash, String workspaceId, String sourceId, Instant createdAt) {
		this.keyHash = keyHash;
		this.workspaceId = workspaceId;
		this.sourceId = sourceId;
		this.createdAt = createdAt;
	}

	java.util.UUID keyId() {
		return this.keyId;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant revokedAt() {
		return this.revokedAt;
	}

	void revoke(Instant at) {
		if (this.revokedAt == null) {
			this.revokedAt = at;
		}
	}

	String keyHash() {
		return this.keyHash;
	}

	String workspaceId() {
		return this.workspaceId;
	}

	String sourceId() {
		return this.sourceId;
	}

	boolean revoked() {
		return this.revokedAt != null;
	}

}
