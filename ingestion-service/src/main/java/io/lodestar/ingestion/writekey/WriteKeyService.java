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

	/**
	 * Creates a write key for a source. The key is returned once and stored only hashed.
	 * @param workspaceId the workspace
	 * @param sourceId the source
	 * @return the key and its public description
	 */
	@Transactional
	public CreatedWriteKey create(String workspaceId, String sourceId) {
		StringBuilder key = new StringBuilder(32);
		for (int i = 0; i < 32; i++) {
			key.append(KEY_ALPHABET.charAt(RANDOM.nextInt(KEY_ALPHABET.length())));
		}
		WriteKeyEntity saved = this.keys
			.saveAndFlush(new WriteKeyEntity(hash(key.toString()), workspaceId, sourceId, this.clock.instant()));
		log.info("Created write key {} for workspace {} source {}", saved.keyId(), workspaceId, sourceId);
		return new CreatedWriteKey(key.toString(), describe(saved));
	}

	/**
	 * The workspace's write keys, without the keys themselves.
	 * @param workspaceId the workspace
	 * @return oldest first
	 */
	@Transactional(readOnly = true)
	public java.util.List<WriteKeyDescription> list(String workspaceId) {
		return this.keys.findByWorkspaceIdOrderByCreatedAt(workspaceId)
			.stream()
			.map(WriteKeyService::describe)
			.toList();
	}

	/**
	 * Revokes a key: it stops authenticating at once on this instance, within
	 * {@link #CACHE_TTL} on others.
	 * @param workspaceId the workspace
	 * @param keyId the key's public id
	 * @return whether the workspace has such a key
	 */
	@Transactional
	public boolean revoke(String workspaceId, java.util.UUID keyId) {
		return this.keys.findByWorkspaceIdAndKeyId(workspaceId, keyId).map((key) -> {
			key.revoke(this.clock.instant());
			this.cache.remove(key.keyHash());
			log.info("Revoked write key {} of workspace {}", keyId, workspaceId);
			return true;
		}).orElse(false);
	}

	private static WriteKeyDescription describe(WriteKeyEntity key) {
		return new WriteKeyDescription(key.keyId(), key.workspaceId(), key.sourceId(), key.createdAt(),
				key.revokedAt());
	}

	private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

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
