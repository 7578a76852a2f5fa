package io.lodestar.ingestion.connector.management;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.SourceConnector;

/**
 * The source kinds this service has, by wire id.
 */
@Component
class ConnectorKinds {

	private final Map<String, SourceConnector> byKind = new TreeMap<>();

	ConnectorKinds(List<SourceConnector> kinds) {
		for (SourceConnector kind : kinds) {
			if (this.byKind.put(kind.kind(), kind) != null) {
				throw new IllegalStateException("Two connector kinds named " + kind.kind());
			}
		}
	}

	Optional<SourceConnector> find(String kind) {
		return Optional.ofNullable(this.byKind.get(kind));
	}

	List<String> names() {
		return List.copyOf(this.byKind.keySet());
	}

}
