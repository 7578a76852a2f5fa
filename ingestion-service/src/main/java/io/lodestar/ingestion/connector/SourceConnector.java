package io.lodestar.ingestion.connector;

/**
 * One kind of source (Meta Ads, Shopify, a file drop …) behind the scheduler: it checks
 * its settings, checks a connection and pulls one run's worth of rows into a
 * {@link RecordSink}. Implementations are Spring beans; they hold no per-connector state.
 */
public interface SourceConnector {

	/**
	 * The kind's wire id, as in the API and the {@code connector.kind} column.
	 * @return e.g. {@code meta-ads}
	 */
	String kind();

	/**
	 * Checks the non-secret settings and the credentials of a connector of this kind.
	 * @param settings the settings
	 * @param credentials the secrets, by name
	 * @param errors collects what is wrong, per field ({@code settings.accountId},
	 * {@code credentials.accessToken})
	 */
	void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors);

	/**
	 * Makes the cheapest authenticated request the source has.
	 * @param context the connector
	 * @throws Exception what the source answered ({@link SourceAuthenticationException}
	 * for rejected credentials)
	 */
	void check(ConnectorContext context) throws Exception;

	/**
	 * Reads everything new since the context's watermark, minus the trailing window the
	 * source may still revise, and hands it to the sink. Sets the new watermark on the
	 * sink; the runner stores it only once Kafka acknowledged every row.
	 * @param context the connector and its run
	 * @param sink where rows go
	 * @throws Exception a {@link MalformedPageException},
	 * {@link SourceAuthenticationException},
	 * {@link io.lodestar.ingestion.connector.ratelimit.QuotaExhaustedException} or what
	 * the source threw: the run fails and the watermark stays where it was
	 */
	void pull(ConnectorContext context, RecordSink sink) throws Exception;

}
