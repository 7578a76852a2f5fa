package io.lodestar.contracts.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalises identifiers, rejects junk values and hashes personal ones. The same rules
 * run where identities are written (etl-service) and where they are looked up
 * (profile-service): an email is trimmed and lower-cased; a phone keeps its digits and a
 * leading {@code +}; both are then hashed with SHA-256 (lower-case hex). Values that SDKs
 * and forms send when they have nothing ({@code "null"}, {@code "undefined"},
 * {@code "0"}, all-zero device ids, test addresses …) never identify anybody.
 */
public final class Identifiers {

	private static final Set<String> JUNK = Set.of("", "null", "undefined", "none", "nil", "nan", "0", "-1", "unknown",
			"anonymous", "guest", "test", "n/a", "na", "[object object]", "true", "false");

	private static final Pattern ALL_ZEROS = Pattern.compile("^[0\\-]+$");

	/**
	 * Device ids that many devices report: the Android emulator's and early Android 2.2
	 * builds' ANDROID_ID, the MAC placeholder iOS returns since iOS 7, an all-ones id,
	 * and the IDFA of a user who limited ad tracking before iOS 10 (all zeros, caught
	 * above).
	 */
	private static final Set<String> JUNK_DEVICE_IDS = Set.of("9774d56d682e549c", "02:00:00:00:00:00",
			"ffffffff-ffff-ffff-ffff-ffffffffffff", "00:00:00:00:00:00", "unknown", "android_id", "idfa",
			"advertisingid");

	private static final Pattern CUSTOMER_SOURCE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private static final Set<String> JUNK_EMAIL_DOMAINS = Set.of("example.com", "example.org", "example.net",
			"test.com", "mailinator.com");

	private static final Set<String> JUNK_EMAIL_LOCAL_PARTS = Set.of("test", "noreply", "no-reply", "none", "null",
			"nobody", "user", "email");

	private Identifiers() {
	}

	/**
	 * Whether a raw identifier value carries no identity: blank, a placeholder such as
	 * {@code "undefined"}, or an all-zero device id.
	 * @param value a raw value, possibly null
	 * @return true when the value must not be used to match or merge
	 */
	public static boolean isJunk(String value) {
		if (value == null) {
			return true;
		}
		String trimmed = value.strip().toLowerCase(Locale.ROOT);
		return JUNK.contains(trimmed) || ALL_ZEROS.matcher(trimmed).matches();
	}

	/**
	 * An email address in its matching form: trimmed and lower-cased; empty when it is
	 * not an address or is a junk/test address.
	 * @param email the raw address
	 * @return the normalised address
	 */
	public static Optional<String> normaliseEmail(String email) {
		if (isJunk(email)) {
			return Optional.empty();
		}
		String normalised = email.strip().toLowerCase(Locale.ROOT);
		if (!EMAIL.matcher(normalised).matches()) {
			return Optional.empty();
		}
		int at = normalised.lastIndexOf('@');
		if (JUNK_EMAIL_LOCAL_PARTS.contains(normalised.substring(0, at))
				|| JUNK_EMAIL_DOMAINS.contains(normalised.substring(at + 1))) {
			return Optional.empty();
		}
		return Optional.of(normalised);
	}

	/**
	 * A phone number in its matching form: its digits, with a leading {@code +} when it
	 * had one; empty when fewer than 7 digits remain or all digits are the same.
	 * @param phone the raw number, as typed
	 * @return the normalised number
	 */
	public static Optional<String> normalisePhone(String phone) {
		if (isJunk(phone)) {
			return Optional.empty();
		}
		String trimmed = phone.strip();
		StringBuilder digits = new StringBuilder(trimmed.length());
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			if (c >= '0' && c <= '9') {
				digits.append(c);
			}
			else if (Character.isLetter(c)) {
				return Optional.empty();
			}
		}
		if (digits.length() < 7 || digits.length() > 15 || digits.chars().distinct().count() == 1) {
			return Optional.empty();
		}
		return Optional.of((trimmed.startsWith("+") ? "+" : "") + digits);
	}

	/**
	 * The stored form of an email: the SHA-256 of its normalised form.
	 * @param email the raw address
	 * @return the hash, or empty when the address is not usable
	 */
	public static Optional<String> emailHash(String email) {
		return normaliseEmail(email).map(Identifiers::sha256);
	}

	/**
	 * The stored form of a phone number: the SHA-256 of its normalised form.
	 * @param phone the raw number
	 * @return the hash, or empty when the number is not usable
	 */
	public static Optional<String> phoneHash(String phone) {
		return normalisePhone(phone).map(Identifiers::sha256);
	}

	/**
	 * The value stored for an identifier of a kind: hashed kinds are normalised and
	 * hashed, the others trimmed; junk is empty.
	 * @param kind the identifier kind
	 * @param raw the raw value
	 * @return the stored value, or empty when the value identifies nobody
	 */
	public static Optional<String> storedValue(IdentifierKind kind, String raw) {
		return switch (kind) {
			case EMAIL_SHA256 -> emailHash(raw);
			case PHONE_SHA256 -> phoneHash(raw);
			case DEVICE_ID -> (isJunk(raw) || JUNK_DEVICE_IDS.contains(raw.strip().toLowerCase(Locale.ROOT)))
					? Optional.empty() : Optional.of(raw.strip());
			default -> isJunk(raw) ? Optional.empty() : Optional.of(raw.strip());
		};
	}

	/**
	 * The stored value of a commerce connector's customer id: {@code <source>:<id>}, so
	 * that Shopify's customer 77 and WooCommerce's customer 77 are different people.
	 * @param source the source kind, lower-case ({@code shopify}, {@code woocommerce})
	 * @param customerId the source's own customer id
	 * @return the stored value, or empty when either part is junk or the source is not a
	 * lower-case name
	 */
	public static Optional<String> customerId(String source, String customerId) {
		if (source == null || !CUSTOMER_SOURCE.matcher(source.strip()).matches() || isJunk(customerId)) {
			return Optional.empty();
		}
		return Optional.of(source.strip() + ":" + customerId.strip());
	}

	/**
	 * The form an identifier takes on the suppression list of erased people: a hash of
	 * its kind and stored value under a fixed prefix, so that the list holds neither the
	 * identifier nor the hash it was stored under while the person existed.
	 * @param kind the identifier kind
	 * @param storedValue the value as {@link #storedValue(IdentifierKind, String)} gives
	 * it
	 * @return 64 hex characters
	 */
	public static String suppressionHash(IdentifierKind kind, String storedValue) {
		return sha256("lodestar-suppression:" + kind.code() + ":" + storedValue);
	}

	/**
	 * SHA-256 of a string's UTF-8 bytes, as lower-case hex.
	 * @param value the value
	 * @return 64 hex characters
	 */
	public static String sha256(String value) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

}
