package io.lodestar.contracts.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "null", "NULL", "undefined", "0", "-1", "00000000-0000-0000-0000-000000000000",
			"unknown", "[object Object]" })
	void junkValuesIdentifyNobody(String value) {
		assertThat(Identifiers.isJunk(value)).isTrue();
		assertThat(Identifiers.storedValue(IdentifierKind.USER_ID, value)).isEmpty();
		assertThat(Identifiers.storedValue(IdentifierKind.DEVICE_ID, value)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "9774d56d682e549c", "02:00:00:00:00:00", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", " unknown " })
	void deviceIdsThatManyDevicesReportIdentifyNobody(String value) {
		assertThat(Identifiers.storedValue(IdentifierKind.DEVICE_ID, value)).isEmpty();
	}

	@Test
	void customerIdsAreQualifiedByTheirSource() {
		assertThat(Identifiers.customerId("shopify", " gid://shopify/Customer/77 "))
			.contains("shopify:gid://shopify/Customer/77");
		assertThat(Identifiers.customerId("woocommerce", "77")).contains("woocommerce:77")
			.isNotEqualTo(Identifiers.customerId("shopify", "77"));
		assertThat(Identifiers.customerId("shopify", "0")).isEmpty();
		assertThat(Identifiers.customerId("Shop Ify", "77")).isEmpty();
		assertThat(Identifiers.customerId(null, "77")).isEmpty();
	}

	@Test
	void nullIsJunk() {
		assertThat(Identifiers.isJunk(null)).isTrue();
	}

	@Test
	void realIdsAreKeptTrimmed() {
		assertThat(Identifiers.isJunk("u-42")).isFalse();
		assertThat(Identifiers.storedValue(IdentifierKind.USER_ID, " u-42 ")).contains("u-42");
		assertThat(Identifiers.storedValue(IdentifierKind.DEVICE_ID, "38400000-8cf0-11bd-b23e-10b96e40000d"))
			.contains("38400000-8cf0-11bd-b23e-10b96e40000d");
	}

	@Test
	void emailsMatchWhateverTheirCaseAndSpacing() {
		assertThat(Identifiers.normaliseEmail("  Ada.Lovelace@Example.ORG ")).isEmpty();
		assertThat(Identifiers.normaliseEmail("  Ada.Lovelace@Analytical.Engine "))
			.contains("ada.lovelace@analytical.engine");
		assertThat(Identifiers.emailHash("ADA@lovelace.io")).isEqualTo(Identifiers.emailHash("ada@lovelace.io "));
		// the SHA-256 of "ada@lovelace.io"
		assertThat(Identifiers.emailHash("Ada@Lovelace.io")).contains(Identifiers.sha256("ada@lovelace.io"))
			.hasValueSatisfying((hash) -> assertThat(hash).hasSize(64).matches("[0-9a-f]+"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-an-address", "a@b", "test@shop.io", "noreply@shop.io", "jane@example.com",
			"x@mailinator.com", "undefined" })
	void unusableEmailsAreNotIdentifiers(String email) {
		assertThat(Identifiers.emailHash(email)).isEmpty();
	}

	@Test
	void phonesKeepTheirDigitsAndLeadingPlus() {
		assertThat(Identifiers.normalisePhone("+44 (20) 7946-0958")).contains("+442079460958");
		assertThat(Identifiers.normalisePhone("020 7946 0958")).contains("02079460958");
		assertThat(Identifiers.phoneHash("+44 20 7946 0958")).isEqualTo(Identifiers.phoneHash("+44-20-7946-0958"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "123", "0000000000", "1111111", "call me", "+1 800 FLOWERS", "12345678901234567" })
	void unusablePhonesAreNotIdentifiers(String phone) {
		assertThat(Identifiers.phoneHash(phone)).isEmpty();
	}

	@Test
	void suppressionHashesHoldNeitherTheIdentifierNorItsStoredHash() {
		String email = Identifiers.emailHash("ada@lovelace.io").orElseThrow();
		String suppressed = Identifiers.suppressionHash(IdentifierKind.EMAIL_SHA256, email);
		assertThat(suppressed).hasSize(64).isNotEqualTo(email);
		assertThat(Identifiers.suppressionHash(IdentifierKind.USER_ID, "u-42")).isNotEqualTo(Identifiers.sha256("u-42"))
			.doesNotContain("u-42")
			.isEqualTo(Identifiers.suppressionHash(IdentifierKind.USER_ID, "u-42"))
			.isNotEqualTo(Identifiers.suppressionHash(IdentifierKind.ANONYMOUS_ID, "u-42"));
	}

	@Test
	void sha256IsTheStandardDigest() {
		assertThat(Identifiers.sha256("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void kindsAreFoundByTheirStoredCode() {
		for (IdentifierKind kind : IdentifierKind.values()) {
			assertThat(IdentifierKind.ofCode(kind.code())).contains(kind);
		}
		assertThat(IdentifierKind.ofCode("email")).isEmpty();
		assertThat(IdentifierKind.EMAIL_SHA256.hashed()).isTrue();
		assertThat(IdentifierKind.USER_ID.hashed()).isFalse();
	}

}
