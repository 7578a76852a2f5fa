package io.lodestar.ingestion.connector.credential;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts connector credentials with AES-256-GCM. The output is
 * {@code version(1) | iv(12) | ciphertext+tag}; the connector id is bound as associated
 * data, so a credential copied onto another connector's row does not decrypt. Neither the
 * key nor any plaintext ever appears in an exception message or {@link #toString()}.
 */
public final class CredentialCipher {

	/**
	 * A key for local development only (32 bytes, base64). Never use it outside a
	 * developer's machine: set {@code lodestar.ingestion.connectors.credential-key}.
	 */
	public static final String DEV_ONLY_KEY = "bG9kZXN0YXItZGV2LW9ubHkta2V5LWRvLW5vdC11c2U=";

	private static final byte VERSION = 1;

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random;

	/**
	 * A cipher with a base64 key of 32 bytes.
	 * @param base64Key the key
	 * @param random the source of IVs
	 */
	public CredentialCipher(String base64Key, SecureRandom random) {
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64Key);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The credential key is not base64");
		}
		if (raw.length != 32) {
			throw new IllegalArgumentException("The credential key must be 32 bytes (AES-256), was " + raw.length);
		}
		this.key = new SecretKeySpec(raw, "AES");
		this.random = random;
	}

	/**
	 * Encrypts a credential document.
	 * @param connectorId the connector it belongs to (associated data)
	 * @param plaintext the credentials, e.g. their JSON
	 * @return the sealed bytes
	 */
	public byte[] encrypt(String connectorId, String plaintext) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(connectorId.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt the credentials of connector " + connectorId);
		}
	}

	/**
	 * Decrypts what {@link #encrypt(String, String)} sealed for the same connector.
	 * @param connectorId the connector it belongs to
	 * @param sealed the sealed bytes
	 * @return the plaintext
	 * @throws IllegalStateException if the bytes were tampered with, belong to another
	 * connector or were sealed with another key
	 */
	public String decrypt(String connectorId, byte[] sealed) {
		if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
			throw new IllegalStateException("The credentials of connector " + connectorId + " are not readable");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
			cipher.updateAAD(connectorId.getBytes(StandardCharsets.UTF_8));
			byte[] plain = cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
			return new String(plain, StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new IllegalStateException("The credentials of connector " + connectorId
					+ " do not decrypt with the configured key (wrong key or tampered)");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The credentials of connector " + connectorId + " are not readable");
		}
	}

	@Override
	public String toString() {
		return "CredentialCipher[AES-256-GCM]";
	}

}
