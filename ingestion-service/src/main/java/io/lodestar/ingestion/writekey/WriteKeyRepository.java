package io.lodestar.ingestion.writekey;

import org.springframework.data.jpa.repository.JpaRepository;

interface WriteKeyRepository extends JpaRepository<WriteKeyEntity, String> {

}
