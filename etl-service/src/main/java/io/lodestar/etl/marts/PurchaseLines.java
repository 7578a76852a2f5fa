package io.lodestar.etl.marts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.lodestar.etl.traits.Traits;

/**
 * A purchase event read the way computed traits read it ({@link Traits}: the purchase
 * events, the first revenue property that is a number or a numeric string, amounts as
 * sent whatever the currency), as one order row ({@code line} −1) and one row per
 * {@code products[]} line.
 * <p>
 * A line: product id from {@code product_id}, else {@code sku}, else {@code id} (text or
 * number); {@code quantity} 1 when absent, a number or numeric string otherwise; revenue
 * = {@code price} × quantity. A line the sales marts cannot use carries a {@code problem}
 * (and the value sent): {@code missing_product_id}, {@code product_id_too_long} (over 255
 * characters), {@code missing_price}, {@code price_not_a_number},
 * {@code quantity_not_a_number}, {@code quantity_not_positive} (refunds are not
 * modelled), {@code amount_implausible} (10^12 and more), {@code line_not_an_object}. An
 * order row's problem is its revenue's ({@link Traits.Revenue}): the order still counts,
 * with revenue 0, as in computed traits.
 */
final class PurchaseLines implements FlatMapFunction<Row, Row> {

	/** Input: event_id, profile_id, occurred_at, properties (JSON text). */
	static final StructType INPUT = new StructType().add("event_id", DataTypes.StringType)
		.add("profile_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("properties", DataTypes.StringType);

	static final DataType AMOUNT = DataTypes.createDecimalType(24, 4);

	/** Output: an order row (line −1) and its lines. */
	static final StructType PARSED = new StructType().add("event_id", DataTypes.StringType)
		.add("profile_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("line", DataTypes.IntegerType)
		.add("product_id", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("category", DataTypes.StringType)
		.add("brand", DataTypes.StringType)
		.add("quantity", AMOUNT)
		.add("revenue", AMOUNT)
		.add("problem", DataTypes.StringType)
		.add("sent", DataTypes.StringType);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);

	private final Traits traits;

	PurchaseLines(Traits traits) {
		this.traits = traits;
	}

	@Override
	public Iterator<Row> call(Row event) {
		String eventId = event.getString(0);
		String profileId = event.getString(1);
		Timestamp at = event.getTimestamp(2);
		JsonNode properties = parse(event.isNullAt(3) ? null : event.getString(3));
		List<Row> rows = new ArrayList<>();
		if (properties == null) {
			String sent = event.isNullAt(3) ? null : clip(event.getString(3));
			rows.add(row(eventId, profileId, at, -1, null, null, null, null, null, BigDecimal.ZERO,
					(sent != null) ? "properties_not_an_object" : null, sent));
			return rows.iterator();
		}
		Traits.Revenue revenue = this.traits.revenueOf(properties);
		rows.add(row(eventId, profileId, at, -1, null, null, null, null, null, revenue.value(), revenue.problem(),
				clip(revenue.sent())));
		JsonNode products = properties.get("products");
		if (products == null || !products.isArray()) {
			return rows.iterator();
		}
		int index = 0;
		for (JsonNode product : products) {
			rows.add(line(eventId, profileId, at, index++, product));
		}
		return rows.iterator();
	}

	private static Row line(String eventId, String profileId, Timestamp at, int index, JsonNode product) {
		if (!product.isObject()) {
			return problem(eventId, profileId, at, index, null, "line_not_an_object", product.toString());
		}
		String productId = text(product, "product_id");
		if (productId == null) {
			productId = text(product, "sku");
		}
		if (productId == null) {
			productId = text(product, "id");
		}
		if (productId == null) {
			return problem(eventId, profileId, at, index, null, "missing_product_id", null);
		}
		if (productId.length() > 255) {
			return problem(eventId, profileId, at, index, null, "product_id_too_long", productId);
		}
		JsonNode quantityNode = product.get("quantity");
		BigDecimal quantity = BigDecimal.ONE;
		if (quantityNode != null && !quantityNode.isNull()) {
			quantity = Traits.number(quantityNode);
			if (quantity == null) {
				return problem(eventId, profileId, at, index, productId,
						Traits.implausible(quantityNode) ? "amount_implausible" : "quantity_not_a_number",
						sent(quantityNode));
			}
			if (quantity.signum() <= 0) {
				return problem(eventId, profileId, at, index, productId, "quantity_not_positive", sent(quantityNode));
			}
		}
		JsonNode priceNode = product.get("price");
		if (priceNode == null || priceNode.isNull()) {
			return problem(eventId, profileId, at, index, productId, "missing_price", null);
		}
		BigDecimal price = Traits.number(priceNode);
		if (price == null) {
			return problem(eventId, profileId, at, index, productId,
					Traits.implausible(priceNode) ? "amount_implausible" : "price_not_a_number", sent(priceNode));
		}
		BigDecimal revenue = price.multiply(quantity);
		if (revenue.abs().compareTo(LIMIT) >= 0) {
			return problem(eventId, profileId, at, index, productId, "amount_implausible", revenue.toPlainString());
		}
		return row(eventId, profileId, at, index, productId, limit(text(product, "name"), 500),
				limit(text(product, "category"), 255), limit(text(product, "brand"), 255), quantity, revenue, null,
				null);
	}

	private static Row problem(String eventId, String profileId, Timestamp at, int index, String productId,
			String problem, String sent) {
		return row(eventId, profileId, at, index, productId, null, null, null, null, null, problem, clip(sent));
	}

	private static Row row(String eventId, String profileId, Timestamp at, int line, String productId, String name,
			String category, String brand, BigDecimal quantity, BigDecimal revenue, String problem, String sent) {
		return RowFactory.create(eventId, profileId, at, line, productId, name, category, brand, scale(quantity),
				scale(revenue), problem, sent);
	}

	private static BigDecimal scale(BigDecimal value) {
		return (value != null) ? value.setScale(4, RoundingMode.HALF_UP) : null;
	}

	private static JsonNode parse(String json) {
		if (json == null) {
			return null;
		}
		try {
			JsonNode node = JSON.readTree(json);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JsonProcessingException ex) {
			return null;
		}
	}

	/** A text or number field as text, stripped; null when absent or blank. */
	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !(value.isTextual() || value.isNumber())) {
			return null;
		}
		String text = value.asText().strip();
		return text.isEmpty() ? null : text;
	}

	private static String sent(JsonNode value) {
		return value.isTextual() ? value.asText() : value.toString();
	}

	private static String limit(String value, int length) {
		return (value == null || value.length() <= length) ? value : value.substring(0, length);
	}

	private static String clip(String value) {
		return limit(value, 200);
	}

}
