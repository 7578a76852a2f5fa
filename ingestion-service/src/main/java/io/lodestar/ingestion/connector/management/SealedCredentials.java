package io.lodestar.ingestion.connector.management;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.credential.CredentialCipher;

/**
 * Credentials as stored: their JSON sealed by the {@link CredentialCipher} for one
 * connector.
 */
@Component
class SealedCredentials {

	private final CredentialCipher cipher;

	private final JsonMapper json;

	SealedCredentials(CredentialCipher cipher, JsonMapper json) {
		this.cipher = cipher;
		this.json = json;
	}

	byte[] seal(UUID connectorId, Credentials credentials) {
		return this.cipher.encrypt(connectorId.toString(), this.json.writeValueAsString(credentials.values()));
	}

	Credentials open(UUID connectorId, byte[] sealed) {
		Map<String, String> values = this.json.readValue(this.cipher.decrypt(connectorId.toString(), sealed),
				new TypeReference<LinkedHashMap<String, String>>() {
				});
		return new Credentials(values);
	}

}
