package io.lodestar.contracts.connector;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of rows connectors publish on {@code cdp.connector.records}, each with its
 * own versioned JSON Schema under {@code schemas/connector/<kind>/}. Ordinary events
 * (file drops) are not a kind: they go to {@code cdp.ingestion.events} in the
 * {@link io.lodestar.contracts.event.EventEnvelope}.
 */
public enum ConnectorRecordKind {

	/** One campaign on one day: spend in account currency and delivery metrics. */
	AD_CAMPAIGN_DAY("ad-campaign-day", "1-0-0"),

	/** An order with its line items and customer identifiers. */
	ORDER("order", "1-0-0"),

	/** A customer of a shop. */
	CUSTOMER("customer", "1-0-0"),

	/**
	 * One row of an analytics report (GA4 runReport): a day, its dimension values and
	 * metrics as numbers.
	 */
	ANALYTICS_REPORT_ROW("analytics-report-row", "1-0-0");

	/** The schema domain of connector records. */
	public static final String DOMAIN = "connector";

	private final String id;

	private final String schemaVersion;

	ConnectorRecordKind(String id, String schemaVersion) {
		this.id = id;
		this.schemaVersion = schemaVersion;
	}

	/**
	 * The wire id of the kind.
	 * @return the id, e.g. {@code ad-campaign-day}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The current schema version producers write.
	 * @return the SchemaVer
	 */
	public String schemaVersion() {
		return this.schemaVersion;
	}

	/**
	 * The classpath resource of a version of the kind's schema.
	 * @param version the SchemaVer
	 * @return the resource path
	 */
	public String schemaResource(String version) {
		return "schemas/" + DOMAIN + "/" + this.id + "/" + this.id + "-" + version + ".json";
	}

	/**
	 * The kind with a wire id.
	 * @param id the wire id
	 * @return the kind, if any
	 */
	public static Optional<ConnectorRecordKind> fromId(String id) {
		return Arrays.stream(values()).filter((kind) -> kind.id.equals(id)).findFirst();
	}

}
