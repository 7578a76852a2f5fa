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
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.ratelimit.Retrier;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;

/**
 * Reads campaign-day insights of one ad account for a date range over HTTP, following
 * {@code paging.next} to the last page, each request through the run's {@link Retrier}.
 * Small ranges are read synchronously; large ones through an async report run (create,
 * poll {@code async_status}, then page through {@code /{run}/insights}). The access token
 * goes in the query as Meta requires; it is never put in an exception message or log.
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
	 * All campaign-day rows of an account in a date range, in memory.
	 * @param accountId the account id without {@code act_}
	 * @param accessToken the token
	 * @param since the first day
	 * @param until the last day
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param retrier the run's retrier
	 * @param pages counts the pages read (for the run history)
	 * @return the rows of every page
	 * @throws Exception see {@link #readPages}
	 */
	public List<ConnectorRecord> read(String accountId, String accessToken, LocalDate since, LocalDate until,
			String workspaceId, String connectorId, Retrier retrier, int[] pages) throws Exception {
		List<ConnectorRecord> records = new ArrayList<>();
		readPages(firstPage(accountId, accessToken, since, until, 500), workspaceId, connectorId, retrier, (page) -> {
			records.addAll(page.records());
			pages[0]++;
		});
		return records;
	}

	/**
	 * The URL of the first synchronous page.
	 * @param accountId the account id without {@code act_}
	 * @param accessToken the token
	 * @param since the first day
	 * @param until the last day
	 * @param limit rows per page
	 * @return the URL
	 */
	public URI firstPage(String accountId, String accessToken, LocalDate since, LocalDate until, int limit) {
		return URI.create(this.baseUrl + "/" + this.apiVersion + "/act_" + accountId + "/insights?"
				+ query(since, until) + "&limit=" + limit + "&access_token=" + encode(accessToken));
	}

	/**
	 * Follows {@code paging.next} from a first page to the last, handing each page over
	 * as it arrives.
	 * @param first the first page's URL
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param retrier the run's retrier
	 * @param onPage receives every page
	 * @throws Exception a {@link MalformedPageException},
	 * {@link io.lodestar.ingestion.connector.SourceAuthenticationException},
	 * {@link io.lodestar.ingestion.connector.ratelimit.QuotaExhaustedException} or what
	 * the last throttled attempt threw
	 */
	public void readPages(URI first, String workspaceId, String connectorId, Retrier retrier,
			Consumer<MetaInsightsPage> onPage) throws Exception {
		Optional<String> next = Optional.of(first.toString());
		while (next.isPresent()) {
			URI uri = URI.create(next.get());
			MetaInsightsPage page = retrier.call(() -> MetaInsightsPage.parse(this.json,
					send(HttpRequest.newBuilder(uri).GET()), workspaceId, connectorId, this.clock.instant()));
			onPage.accept(page);
			next = page.next();
		}
	}

	/**
	 * Reads a range through an async report run: creates it, polls until Meta says
	 * {@code Job Completed}, then pages through its result.
	 * @param accountId the account id without {@code act_}
	 * @param accessToken the token
	 * @param since the first day
	 * @param until the last day
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param retrier the run's retrier
	 * @param sleeper waits between polls
	 * @param poll how long to wait between polls
	 * @param maxPolls how many polls before giving up
	 * @param onPage receives every page
	 * @throws Exception as {@link #readPages}, or an {@link IllegalStateException} when
	 * the report run fails or does not finish in time
	 */
	public void readAsync(String accountId, String accessToken, LocalDate since, LocalDate until, String workspaceId,
			String connectorId, Retrier retrier, Sleeper sleeper, Duration poll, int maxPolls,
			Consumer<MetaInsightsPage> onPage) throws Exception {
		URI create = URI.create(this.baseUrl + "/" + this.apiVersion + "/act_" + accountId + "/insights");
		String form = query(since, until) + "&access_token=" + encode(accessToken);
		String runId = retrier.call(() -> field(send(HttpRequest.newBuilder(create)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))), "report_run_id"));
		URI status = URI.create(
				this.baseUrl + "/" + this.apiVersion + "/" + encode(runId) + "?access_token=" + encode(accessToken));
		for (int polls = 0;; polls++) {
			String state = retrier.call(() -> field(send(HttpRequest.newBuilder(status).GET()), "async_status"));
			if ("Job Completed".equals(state)) {
				break;
			}
			if ("Job Failed".equals(state) || "Job Skipped".equals(state)) {
				throw new IllegalStateException("Meta async report run " + runId + " ended with '" + state + "'");
			}
			if (polls + 1 >= maxPolls) {
				throw new IllegalStateException("Meta async report run " + runId + " did not complete after " + maxPolls
						+ " polls (last status '" + state + "')");
			}
			sleeper.sleep(poll);
		}
		readPages(URI.create(this.baseUrl + "/" + this.apiVersion + "/" + encode(runId) + "/insights?limit=500"
				+ "&access_token=" + encode(accessToken)), workspaceId, connectorId, retrier, onPage);
	}

	private String field(String body, String name) {
		try {
			JsonNode value = this.json.readTree(body).get(name);
			if (value == null || !(value.isString() || value.isNumber())) {
				throw new MalformedPageException("Meta async report run answer has no '" + name + "'");
			}
			return value.asString();
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("Meta async report run answer is not valid JSON", ex);
		}
	}

	private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw MetaErrors.toException(this.json, response.statusCode(), response.body(),
					(name) -> response.headers().firstValue(name).orElse(null), this.clock);
		}
		return response.body();
	}

	private static String query(LocalDate since, LocalDate until) {
		String range = "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}";
		return "level=campaign&time_increment=1&fields=" + encode(FIELDS) + "&time_range=" + encode(range);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
