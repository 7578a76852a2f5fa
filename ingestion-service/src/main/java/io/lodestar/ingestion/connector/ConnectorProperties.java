package io.lodestar.ingestion.connector;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Connector settings, prefix {@code lodestar.ingestion.connectors}.
 *
 * @param credentialKey base64 of the 32-byte AES key that seals credentials
 * ({@code LODESTAR_CONNECTOR_CREDENTIAL_KEY})
 * @param scheduler how due connectors are found and run
 * @param retry how throttled requests are retried
 * @param sendTimeout how long a run waits for Kafka to acknowledge its rows at the end
 * @param meta the Meta Marketing API
 * @param shopify the Shopify Admin API
 * @param fileDrop local-folder and S3 file drops
 * @param googleAds the Google Ads API
 * @param ga4 the GA4 Data API
 * @param woocommerce WooCommerce stores
 * @param appsflyer the AppsFlyer raw-data export
 * @param mixpanel the Mixpanel raw export
 */
@ConfigurationProperties("lodestar.ingestion.connectors")
public record ConnectorProperties(String credentialKey, Scheduler scheduler, Retry retry, Duration sendTimeout,
		Meta meta, Shopify shopify, FileDrop fileDrop, GoogleAds googleAds, Ga4 ga4, WooCommerce woocommerce,
		AppsFlyer appsflyer, Mixpanel mixpanel) {

	/**
	 * @param enabled whether this instance runs connectors at all
	 * @param tick how often due connectors are looked for
	 * @param maxConcurrentRuns runs at once on this instance
	 */
	public record Scheduler(boolean enabled, Duration tick, int maxConcurrentRuns) {
	}

	/**
	 * @param maxAttempts attempts per request, the first included
	 * @param base the first backoff's upper bound
	 * @param max the cap of a computed backoff (a source's own wait is honoured as is)
	 */
	public record Retry(int maxAttempts, Duration base, Duration max) {
	}

	/**
	 * @param baseUrl e.g. {@code https://graph.facebook.com}
	 * @param apiVersion e.g. {@code v24.0}
	 */
	public record Meta(URI baseUrl, String apiVersion) {
	}

	/**
	 * @param baseUrl overrides {@code https://<shopDomain>} (tests, proxies); empty in
	 * production
	 * @param apiVersion e.g. {@code 2024-10}
	 * @param pageSize orders or customers per GraphQL page
	 */
	public record Shopify(String baseUrl, String apiVersion, int pageSize) {
	}

	/**
	 * @param root the folder local file drops must be inside
	 * ({@code LODESTAR_FILE_DROP_ROOT}); a connector names a folder relative to it
	 * @param s3Endpoint overrides the S3 endpoint of every S3 drop (tests, MinIO); empty:
	 * the connector's own {@code endpoint} setting or AWS
	 */
	public record FileDrop(java.nio.file.Path root, String s3Endpoint) {
	}

	/**
	 * @param baseUrl e.g. {@code https://googleads.googleapis.com}
	 * @param tokenUrl e.g. {@code https://oauth2.googleapis.com/token}
	 * @param apiVersion e.g. {@code v21}
	 */
	public record GoogleAds(URI baseUrl, URI tokenUrl, String apiVersion) {
	}

	/**
	 * @param baseUrl e.g. {@code https://analyticsdata.googleapis.com}
	 * @param tokenUrl e.g. {@code https://oauth2.googleapis.com/token}
	 */
	public record Ga4(URI baseUrl, URI tokenUrl) {
	}

	/**
	 * @param allowHttp whether a store URL may be plain http (tests, a local store);
	 * https only otherwise
	 */
	public record WooCommerce(boolean allowHttp) {
	}

	/**
	 * @param baseUrl e.g. {@code https://hq.appsflyer.com}
	 */
	public record AppsFlyer(URI baseUrl) {
	}

	/**
	 * @param baseUrl e.g. {@code https://data.mixpanel.com}
	 */
	public record Mixpanel(URI baseUrl) {
	}

}
