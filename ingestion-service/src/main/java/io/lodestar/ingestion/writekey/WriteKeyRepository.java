package io.lodestar.ingestion.writekey;

import org.springframework.data.jpa.repository.JpaRepository;

interface WriteKeyRepository extends JpaRepository<WriteKeyEntity, String> {

	java.util.List<WriteKeyEntity> findByWorkspaceIdOrderByCreatedAt(String workspaceId);

	java.util.Optional<WriteKeyEntity> findByWorkspaceIdAndKeyId(String workspaceId, java.util.UUID keyId);

}
