package io.lodestar.etl.streaming;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;

/**
 * Parses the Kafka records of {@code cdp.ingestion.events} (the contracts'
 * {@code EventEnvelope} as JSON) with an explicit schema. Fields the pipeline does not
 * use are ignored; nested objects it keeps (traits) stay JSON text; timestamps stay text
 * and are checked by {@link IncomingEvent}.
 */
final class EventParsing {

	static final StructType ENVELOPE = new StructType().add("eventId", DataTypes.StringType)
		.add("type", DataTypes.StringType)
		.add("schemaVersion", DataTypes.StringType)
		.add("occurredAt", DataTypes.StringType)
		.add("receivedAt", DataTypes.StringType)
		.add("workspaceId", DataTypes.StringType)
		.add("sourceId", DataTypes.StringType)
		.add("messageId", DataTypes.StringType)
		.add("identity", new StructType().add("userId", DataTypes.StringType).add("anonymousId", DataTypes.StringType))
		.add("payload",
				new StructType().add("event", DataTypes.StringType)
					.add("traits", DataTypes.StringType)
					.add("previousId", DataTypes.StringType));

	private EventParsing() {
	}

	/**
	 * Kafka rows ({@code value} binary, {@code topic}, {@code partition}, {@code offset})
	 * → the raw value as text, its coordinates, and the parsed envelope
	 * ({@code envelope}, null when the value is not JSON).
	 * @param kafka the Kafka source's rows
	 * @return the parsed rows
	 */
	static Dataset<Row> parse(Dataset<Row> kafka) {
		Column raw = col("value").cast(DataTypes.StringType);
		return kafka.select(col("topic"), col("partition"), col("offset"), raw.as("raw"),
				from_json(raw, ENVELOPE).as("envelope"), get_json_object(raw, "$.context.userAgent").as("userAgent"),
				get_json_object(raw, "$.payload.properties").as("properties"),
				coalesce(get_json_object(raw, "$.payload.traits.email"), get_json_object(raw, "$.context.traits.email"))
					.as("email"),
				coalesce(get_json_object(raw, "$.payload.traits.phone"), get_json_object(raw, "$.context.traits.phone"))
					.as("phone"),
				get_json_object(raw, "$.context.device.advertisingId").as("advertisingId"),
				get_json_object(raw, "$.context.device.id").as("deviceId"),
				get_json_object(raw, "$.context").as("context"));
	}

}
