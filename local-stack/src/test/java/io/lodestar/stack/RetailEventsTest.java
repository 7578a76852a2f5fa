package io.lodestar.stack;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetailEventsTest {

	private static final String CSV = """
			invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country
			536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01T08:26:00Z,2.55,17850,United Kingdom
			536365,71053,"AIRLINE LOUNGE,METAL SIGN",2,2010-12-01T08:26:00Z,3.39,17850,United Kingdom
			536366,22633,"RECORD FRAME 7"" SINGLE SIZE",6,2010-12-01T08:28:00Z,1.85,17850,United Kingdom
			C536379,D,Discount,-1,2010-12-01T09:41:00Z,27.5,14527,United Kingdom
			536414,22139,,56,2010-12-01T11:52:00Z,0,,United Kingdom
			""";

	@Test
	void identifiesEachCustomerOnceAndEmitsOneOrderPerInvoice() throws Exception {
		List<Map<String, Object>> messages = read(CSV);

		assertThat(messages).extracting((m) -> m.get("type") + ":" + m.getOrDefault("event", m.get("userId")))
			.containsExactly("identify:17850", "track:Order Completed", "track:Order Completed", "identify:14527",
					"track:Order Refunded", "track:Order Completed");
	}

	@Test
	void orderCarriesItsLinesRevenueAndAStableMessageId() throws Exception {
		Map<String, Object> order = read(CSV).get(1);

		assertThat(order).containsEntry("userId", "17850")
			.containsEntry("messageId", "retail-order-536365")
			.containsEntry("timestamp", "2010-12-01T08:26:00Z");
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = (Map<String, Object>) order.get("properties");
		assertThat((BigDecimal) properties.get("revenue")).isEqualByComparingTo("22.08");
		assertThat((List<?>) properties.get("products")).hasSize(2);
		@SuppressWarnings("unchecked")
		Map<String, Object> second = (Map<String, Object>) ((List<?>) properties.get("products")).get(1);
		assertThat(second).containsEntry("name", "AIRLINE LOUNGE,METAL SIGN");
	}

	@Test
	void guestCheckoutIsAnonymousAndQuotesAreUnescaped() throws Exception {
		List<Map<String, Object>> messages = read(CSV);

		assertThat(messages.get(5)).containsEntry("anonymousId", "guest-536414").doesNotContainKey("userId");
		@SuppressWarnings("unchecked")
		Map<String, Object> frame = (Map<String, Object>) ((List<?>) ((Map<String, Object>) messages.get(2)
			.get("properties")).get("products")).get(0);
		assertThat(frame).containsEntry("name", "RECORD FRAME 7\" SINGLE SIZE");
	}

	@Test
	void largeInvoiceIsSplitWithoutCountingTheOrderTwice() throws Exception {
		StringBuilder csv = new StringBuilder(
				"invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country\n");
		for (int i = 0; i < 320; i++) {
			csv.append("581219,P")
				.append(i)
				.append(",ITEM ")
				.append(i)
				.append(",1,2011-12-08T09:28:00Z,1.5,,United Kingdom\n");
		}

		List<Map<String, Object>> messages = read(csv.toString());

		assertThat(messages).extracting((m) -> m.get("event"))
			.containsExactly("Order Completed", "Order Line Items", "Order Line Items");
		assertThat(messages).extracting((m) -> ((List<?>) ((Map<?, ?>) m.get("properties")).get("products")).size())
			.containsExactly(150, 150, 20);
		Map<?, ?> order = (Map<?, ?>) messages.get(0).get("properties");
		assertThat(order.get("product_count")).isEqualTo(320);
		assertThat((BigDecimal) order.get("revenue")).isEqualByComparingTo("480");
		assertThat(messages).extracting((m) -> m.get("messageId"))
			.containsExactly("retail-order-581219", "retail-order-581219-part-2", "retail-order-581219-part-3");
	}

	@Test
	void invoiceLinesApartInTheFileMakeOneOrder() throws Exception {
		List<Map<String, Object>> messages = read("""
				invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country
				542806,A,ONE,1,2011-02-01T10:00:00Z,1,,United Kingdom
				542807,B,TWO,1,2011-02-01T10:01:00Z,1,,United Kingdom
				542806,C,THREE,1,2011-02-01T10:00:00Z,1,,United Kingdom
				""");

		assertThat(messages).extracting((m) -> m.get("messageId"))
			.containsExactly("retail-order-542806", "retail-order-542807");
		assertThat((List<?>) ((Map<?, ?>) messages.get(0).get("properties")).get("products")).hasSize(2);
	}

	@Test
	void refusesAFileThatIsNotTheRetailSet() {
		assertThatThrownBy(() -> read("a,b\n1,2\n")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not the Online Retail CSV");
	}

	private static List<Map<String, Object>> read(String csv) throws Exception {
		List<Map<String, Object>> messages = new ArrayList<>();
		new RetailEvents().read(new BufferedReader(new StringReader(csv)), messages::add);
		return messages;
	}

}
