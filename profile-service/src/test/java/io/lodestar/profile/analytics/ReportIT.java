package io.lodestar.profile.analytics;

import java.io.ByteArrayOutputStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.jayway.jsonpath.JsonPath;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Scheduled reports against a real SMTP server (GreenMail on a free port): saved,
 * rendered as PDF and CSV for their relative range, sent on request and on schedule,
 * every attempt logged. The data: two orders on the workspace's last day, 2026-05-31.
 */
@SpringBootTest(properties = "lodestar.profile.reports.poll-interval=1s")
@AutoConfigureMockMvc
class ReportIT {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
		.withPerMethodLifecycle(false);

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "reports-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
	}

	@BeforeEach
	void orders() {
		UUID profile = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, ?, ?, 2)""", this.workspace, profile,
				Timestamp.from(Instant.parse("2026-05-31T09:00:00Z")),
				Timestamp.from(Instant.parse("2026-05-31T10:00:00Z")));
		order(profile, "2026-05-31T09:00:00Z", "mug", 3, 12.5);
		order(profile, "2026-05-31T10:00:00Z", "teapot", 1, 40);
	}

	@Test
	void aReportIsSentNowAndOnItsSchedule() throws Exception {
		String created = create("""
				{"name":"Daily sales","kind":"sales","parameters":{"by":"product"},"lastDays":7,"anchor":"data",
				 "format":"pdf","cron":"0 0 6 * * *","recipients":["ops@shop.example","cfo@shop.example"]}""")
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.kind").value("sales"))
			.andExpect(jsonPath("$.enabled").value(true))
			.andExpect(jsonPath("$.nextRunAt").isString())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(created, "$.reportId");

		this.mvc.perform(post("/v1/analytics/reports/{id}/send", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("sent"))
			.andExpect(jsonPath("$.trigger").value("manual"))
			.andExpect(jsonPath("$.recipients").value(2))
			.andExpect(jsonPath("$.rangeFrom").value("2026-05-25T00:00:00Z"))
			.andExpect(jsonPath("$.rangeTo").value("2026-06-01T00:00:00Z"));
		assertThat(smtp.waitForIncomingEmail(10_000, 2)).isTrue();
		MimeMessage mail = smtp.getReceivedMessages()[0];
		assertThat(mail.getSubject()).isEqualTo("Lodestar report: Daily sales");
		String text = pdfText(attachment(mail));
		assertThat(text).contains("Sales by product", "teapot", "mug", "40.00", "37.50");

		// on schedule: every second
		this.mvc
			.perform(put("/v1/analytics/reports/{id}", id).header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name":"Daily sales","kind":"sales","parameters":{"by":"product"},"lastDays":7,"anchor":"data",
						 "format":"csv","cron":"* * * * * *","recipients":["ops@shop.example"]}"""))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.format").value("csv"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from profile.analytics_report_delivery where report_id = ?::uuid and trigger = 'schedule'",
					Long.class, id) > 0);
		// pause it, then nothing more is sent
		this.mvc
			.perform(put("/v1/analytics/reports/{id}", id).header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name":"Daily sales","kind":"sales","parameters":{"by":"product"},"lastDays":7,"anchor":"data",
						 "format":"csv","cron":"* * * * * *","recipients":["ops@shop.example"],"enabled":false}"""))
			.andExpect(jsonPath("$.nextRunAt").doesNotExist());
		String csv = null;
		for (MimeMessage message : smtp.getReceivedMessages()) {
			if (message.getAllRecipients().length == 1) {
				csv = new String(attachment(message));
			}
		}
		assertThat(csv).startsWith("product,name,revenue,quantity,orders,customers\r\nteapot,");
		this.mvc.perform(get("/v1/analytics/reports/{id}/deliveries", id).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$[0].status").value("sent"))
			.andExpect(jsonPath("$[0].trigger").value("schedule"));
		this.mvc.perform(get("/v1/analytics/reports").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.length()").value(1));
		// another workspace sees none of it
		this.mvc.perform(get("/v1/analytics/reports/{id}", id).header(Workspace.HEADER, "other-" + this.workspace))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/report-not-found"));
		this.mvc
			.perform(post("/v1/analytics/reports/{id}/send", id).header(Workspace.HEADER, "other-" + this.workspace))
			.andExpect(status().isNotFound());
		this.mvc.perform(delete("/v1/analytics/reports/{id}", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNoContent());
		this.mvc.perform(get("/v1/analytics/reports/{id}", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNotFound());
	}

	@Test
	void aFunnelReportRendersForItsOwnRange() throws Exception {
		String created = create("""
				{"name":"Checkout funnel","kind":"funnel","lastDays":30,"anchor":"data","cron":"0 0 6 * * MON",
				 "recipients":["ops@shop.example"],
				 "request":{"steps":[{"event":"Order Completed"},{"event":"Order Completed"}],"window":"P1D"}}""")
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(created, "$.reportId");
		this.mvc
			.perform(get("/v1/analytics/reports/{id}/render?format=json", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.from").value("2026-05-02T00:00:00Z"))
			.andExpect(jsonPath("$.steps[0].count").value(1))
			.andExpect(jsonPath("$.steps[1].count").value(1));
		byte[] pdf = this.mvc
			.perform(get("/v1/analytics/reports/{id}/render", id).header(Workspace.HEADER, this.workspace))
			.andExpect(content().contentType(MediaType.APPLICATION_PDF))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		assertThat(pdfText(pdf)).contains("Funnel", "Order Completed > Order Completed", "conversion");
	}

	@Test
	void badReportsArePointedAt() throws Exception {
		String good = """
				{"name":"R","kind":"kpis","cron":"0 0 6 * * *","recipients":["a@b.example"]}""";
		create(good.replace("kpis", "weather")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/kind"));
		create(good.replace("0 0 6 * * *", "every morning")).andExpect(jsonPath("$.pointer").value("/cron"));
		create(good.replace("a@b.example", "not-an-address")).andExpect(jsonPath("$.pointer").value("/recipients/0"));
		create(good.replace("\"kpis\"", "\"funnel\"")).andExpect(jsonPath("$.pointer").value("/request"));
		create(good.replace("\"kind\":\"kpis\"", "\"kind\":\"sales\",\"parameters\":{\"by\":\"colour\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("by"));
		create(good).andExpect(status().isCreated());
		create(good).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/report-name-taken"));
	}

	private ResultActions create(String body) throws Exception {
		return this.mvc.perform(post("/v1/analytics/reports").header(Workspace.HEADER, this.workspace)
			.header(ReportController.ACTOR, "user:test")
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private void order(UUID profile, String at, String product, int quantity, double price) {
		this.jdbc
			.update("""
					insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
					values (?, ?, ?, 'track', 'Order Completed', ?, jsonb_build_object('revenue', ?::numeric * ?::numeric,
					    'products', jsonb_build_array(jsonb_build_object('product_id', ?::text, 'price', ?::numeric, 'quantity', ?::numeric))))""",
					this.workspace, UUID.randomUUID(), profile, Timestamp.from(Instant.parse(at)), price, quantity,
					product, price, quantity);
	}

	private static byte[] attachment(MimeMessage mail) throws Exception {
		Multipart parts = (Multipart) mail.getContent();
		for (int i = 0; i < parts.getCount(); i++) {
			Part part = parts.getBodyPart(i);
			if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				part.getInputStream().transferTo(out);
				return out.toByteArray();
			}
		}
		throw new AssertionError("no attachment");
	}

	private static String pdfText(byte[] pdf) throws Exception {
		assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return new PDFTextStripper().getText(document);
		}
	}

}
