package io.lodestar.ingestion.connector.meta;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ratelimit.Retrier;

/**
 * Reads campaign-day insights of one ad account for a date range over HTTP, following
 * {@code paging.next} to the last page, each request through the run's {@link Retrier}.
 * The access token goes in the query as Meta requires; it is never put in an exception
 * message or log.
 */
public final class MetaInsightsReader {

	static final String FIELDS = "account_id,account_currency,campaign_id,campaign_name,impressions,clicks,spend,actions,action_values";

	private final HttpClient http;

	private final JsonMapper json;

	private final Clock clock;

	private final URI baseUrl;

	private final String apiVersion;

	/**
	 * A reader.
	 * @param http the client
	 * @param json the mapper
	 * @param clock now
	 * @param baseUrl e.g. {@code https://graph.facebook.com}
	 * @param apiVersion e.g. {@code v24.0}
	 */
	public MetaInsightsReader(HttpClient http, JsonMapper json, Clock clock, URI baseUrl, String apiVersion) {
		this.http = http;
		this.json = json;
		this.clock = clock;
		this.baseUrl = baseUrl;
		this.apiVersion = apiVersion;
	}

	/**
	 * All campaign-day rows of an account in a date range.
	 * @param accountId the account id without {@code act_}
	 * @param accessToken the token
	 * @param since the first day
	 * @param until the last day
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param retrier the run's retrier
	 * @param pages counts the pages read (for the run history)
	 * @return the rows of every page
	 * @throws Exception a {@link io.lodestar.ingestion.connector.MalformedPageException},
	 * {@link io.lodestar.ingestion.connector.SourceAuthenticationException},
	 * {@link io.lodestar.ingestion.connector.ratelimit.QuotaExhaustedException} or what
	 * the last throttled attempt threw
	 */
	public List<ConnectorRecord> read(String accountId, String accessToken, LocalDate since, LocalDate until,
			String workspaceId, String connectorId, Retrier retrier, int[] pages) throws Exception {
		String range = "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}";
		Optional<String> next = Optional.of(this.baseUrl + "/" + this.apiVersion + "/act_" + accountId
				+ "/insights?level=campaign&time_increment=1&limit=500&fields=" + encode(FIELDS) + "&time_range="
				+ encode(range) + "&access_token=" + encode(accessToken));
		List<ConnectorRecord> records = new ArrayList<>();
		while (next.isPresent()) {
			URI uri = URI.create(next.get());
			MetaInsightsPage page = retrier.call(() -> fetch(uri, workspaceId, connectorId));
			records.addAll(page.records());
			pages[0]++;
			next = page.next();
		}
		return records;
	}

	private MetaInsightsPage fetch(URI uri, String workspaceId, String connectorId)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw MetaErrors.toException(this.json, response.statusCode(), response.body(),
					(name) -> response.headers().firstValue(name).orElse(null), this.clock);
		}
		return MetaInsightsPage.parse(this.json, response.body(), workspaceId, connectorId, this.clock.instant());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
