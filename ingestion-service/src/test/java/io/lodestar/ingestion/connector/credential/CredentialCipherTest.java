package io.lodestar.ingestion.connector.credential;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CredentialCipherTest {

	private static final String SECRET = "{\"accessToken\":\"EAAB-very-secret-token\"}";

	private final CredentialCipher cipher = new CredentialCipher(CredentialCipher.DEV_ONLY_KEY, new SecureRandom());

	@Test
	void roundTripsForTheSameConnector() {
		byte[] sealed = this.cipher.encrypt("c-1", SECRET);

		assertThat(this.cipher.decrypt("c-1", sealed)).isEqualTo(SECRET);
	}

	@Test
	void sealedBytesDoNotContainThePlaintextAndDifferEachTime() {
		byte[] first = this.cipher.encrypt("c-1", SECRET);
		byte[] second = this.cipher.encrypt("c-1", SECRET);

		assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void credentialsOfOneConnectorDoNotDecryptForAnother() {
		byte[] sealed = this.cipher.encrypt("c-1", SECRET);

		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt("c-2", sealed))
			.withMessageContaining("c-2")
			.withMessageNotContaining("secret");
	}

	@Test
	void tamperedBytesAndAnotherKeyAreRejected() {
		byte[] sealed = this.cipher.encrypt("c-1", SECRET);
		byte[] tampered = sealed.clone();
		tampered[tampered.length - 1] ^= 1;
		byte[] otherKey = new byte[32];
		new SecureRandom().nextBytes(otherKey);
		CredentialCipher other = new CredentialCipher(Base64.getEncoder().encodeToString(otherKey), new SecureRandom());

		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt("c-1", tampered));
		assertThatIllegalStateException().isThrownBy(() -> other.decrypt("c-1", sealed));
		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt("c-1", new byte[] { 1, 2 }));
	}

	@Test
	void keyMustBe32Base64BytesAndIsNeverPrinted() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new CredentialCipher(Base64.getEncoder().encodeToString(new byte[16]), new SecureRandom()))
			.withMessageContaining("32 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> new CredentialCipher("not base64!", new SecureRandom()));
		assertThat(this.cipher.toString()).doesNotContain(CredentialCipher.DEV_ONLY_KEY);
	}

}
