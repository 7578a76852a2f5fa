package io.lodestar.segment.destination;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import org.springframework.stereotype.Component;

import io.lodestar.web.BadRequestException;

/**
 * Which URLs a webhook may call: https on a public address; http and loopback or private
 * addresses only where {@code allow-private-targets} is set. Checked when a destination
 * is saved and again before each delivery (a name may resolve elsewhere later).
 */
@Component
class WebhookTargets {

	private final boolean allowPrivate;

	WebhookTargets(WebhookProperties properties) {
		this.allowPrivate = properties.allowPrivateTargets();
	}

	/**
	 * @param url the endpoint
	 * @return the endpoint as a URI
	 * @throws BadRequestException when it may not be called, saying why
	 */
	URI check(String url) {
		URI uri;
		try {
			uri = URI.create(url.trim());
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw invalid("url is not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
		if (!scheme.equals("https") && !(this.allowPrivate && scheme.equals("http"))) {
			throw invalid("url must be https");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			throw invalid("url needs a host and no user info or fragment");
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			throw invalid("url's host does not resolve");
		}
		if (!this.allowPrivate) {
			for (InetAddress address : addresses) {
				if (isPrivate(address)) {
					throw invalid("url's host is a loopback, private or link-local address");
				}
			}
		}
		return uri;
	}

	static boolean isPrivate(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local
		}
		int first = bytes[0] & 0xff;
		int second = bytes[1] & 0xff;
		return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade
																				// NAT
				|| (first == 169 && second == 254);
	}

	private static BadRequestException invalid(String detail) {
		return new BadRequestException("invalid-destination", "Invalid destination", detail);
	}

}
