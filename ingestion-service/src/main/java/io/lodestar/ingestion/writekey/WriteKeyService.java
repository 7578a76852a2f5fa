package io.lodestar.ingestion.writekey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.lodestar.ingestion.system.IngestionProperties;

/**
 * Resolves write keys to their owner. Lookups are cached for a short time, so the hot
 * path of the collector does not query the database per request; a revocation takes
 * effect within {@link #CACHE_TTL}.
 */
@Service
public class WriteKeyService {

	private static final Logger log = LoggerFactory.getLogger(WriteKeyService.class);

	static final Duration CACHE_TTL = Duration.ofSeconds(30);

	private final WriteKeyRepository keys;

	private final IngestionProperties properties;

	private final Clock clock;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	@Autowired
	WriteKeyService(WriteKeyRepository keys, IngestionProperties properties) {
		this(keys, properties, Clock.systemUTC());
	}

	WriteKeyService(WriteKeyRepository keys, IngestionProperties properties, Clock clock) {
		this.keys = keys;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The owner of a write key.
	 * @param writeKey the key as the source sent it
	 * @return the owner, or empty for an unknown or revoked key
	 */
	public Optional<WriteKeyOwner> authenticate(String writeKey) {
		if (writeKey == null || writeKey.isBlank() || writeKey.length() > 256) {
			return Optional.empty();
		}
		String hash = hash(writeKey);
		Instant now = this.clock.instant();
		Cached cached = this.cache.get(hash);
		if (cached == null || cached.expiresAt().isBefore(now)) {
			Optional<WriteKeyOwner> owner = this.keys.findById(hash)
				.filter((key) -> !key.revoked())
				.map((key) -> new WriteKeyOwner(key.workspaceId(), key.sourceId()));
			cached = new Cached(owner, now.plus(CACHE_TTL));
			if (this.cache.size() > 10_000) {
				this.cache.clear();
			}
			this.cache.put(hash, cached);
		}
		return cached.owner();
	}

	/** Creates the configured bootstrap key once (idempotent across restarts). */
	@EventListener(ApplicationReadyEvent.class)
	@Transactional
	public void createBootstrapKey() {
		IngestionProperties.Bootstrap bootstrap = this.properties.bootstrap();
		if (bootstrap == null || bootstrap.writeKey() == null || bootstrap.writeKey().isBlank()) {
			return;
		}
		String hash = hash(bootstrap.writeKey());
		if (!this.keys.existsById(hash)) {
			this.keys
				.save(new WriteKeyEntity(hash, bootstrap.workspaceId(), bootstrap.sourceId(), this.clock.instant()));
			log.info("Created the bootstrap write key for workspace {} source {}", bootstrap.workspaceId(),
					bootstrap.sourceId());
		}
	}

	static String hash(String writeKey) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(writeKey.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Cached(Optional<WriteKeyOwner> owner, Instant expiresAt) {
	}

}
