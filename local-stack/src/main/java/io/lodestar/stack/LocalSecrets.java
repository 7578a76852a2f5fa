package io.lodestar.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's own secrets, made on the first start and kept (owner-readable only)
 * under {@code var/secrets}: the administrator's password, printed by {@code up}, the
 * gateway's token-signing secret, so that sign-ins survive a restart, and the secret the
 * gateway vouches for workspaces to the services with, and the key that seals connector
 * credentials.
 */
public final class LocalSecrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path folder;

	public LocalSecrets(Path varDir) {
		this.folder = varDir.resolve("secrets");
	}

	/** The administrator of the {@code demo} workspace. */
	public static final String ADMIN_USERNAME = "admin";

	public String adminPassword() {
		return secret("admin-password", 18);
	}

	public String tokenSecret() {
		return secret("token-secret", 48);
	}

	/** What the gateway signs its word to the services with. */
	public String serviceSecret() {
		return secret("service-secret", 48);
	}

	/**
	 * The AES-256 key connector credentials are sealed with (standard base64 of 32 bytes,
	 * as ingestion-service's {@code CredentialCipher} reads it).
	 */
	public String connectorCredentialKey() {
		String url = secret("connector-credential-key", 32);
		return Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(url));
	}

	/**
	 * Reads the secret or makes it; one lock for the whole launcher, as the services are
	 * started (and ask for their environment) in parallel.
	 */
	private String secret(String name, int bytes) {
		synchronized (LocalSecrets.class) {
			return readOrCreate(name, bytes);
		}
	}

	private String readOrCreate(String name, int bytes) {
		Path file = this.folder.resolve(name);
		try {
			if (Files.exists(file)) {
				return Files.readString(file).trim();
			}
			Files.createDirectories(this.folder);
			byte[] random = new byte[bytes];
			RANDOM.nextBytes(random);
			String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			Files.writeString(file, secret + "\n");
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system: the folder's permissions apply
			}
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
