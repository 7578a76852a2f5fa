package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Analytics on a small hand-built event set, as the pipeline writes it, whose answers are
 * worked out by hand in the comments: five shoppers and a kiosk in March 2026.
 * <ul>
 * <li>A (PT): views p1, adds, buys 100 within minutes; comes back on 03-10.</li>
 * <li>B (PT): views p2, views p1, adds, never buys; comes back on 03-17.</li>
 * <li>C (UK): views p1 on 03-03, adds 9 days later (outside a 7-day window), buys
 * 30.</li>
 * <li>D (UK): views, adds, empties the cart, then buys 50 — all on 03-09.</li>
 * <li>E (no country): first seen and bought 20 in February; views, adds, buys 40 on
 * 03-04; a page on 03-30.</li>
 * <li>K: a kiosk: three impressions and a click at the entrance screen, two dwells (30 s,
 * 50 s), one impression at the checkout screen.</li>
 * </ul>
 */
@SpringBootTest
@AutoConfigureMockMvc
class AnalyticsIT {

	private static final String MARCH = "from=2026-03-01&to=2026-03-31";

	private static final String FUNNEL = """
			{"from":"2026-03-01","to":"2026-03-31","window":"P7D","steps":[
			  {"event":"Product Viewed"},{"event":"Product Added"},{"event":"Order Completed"}]%s}""";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "analytics-" + UUID.randomUUID().toString().substring(0, 8);

	private UUID b;

	private UUID c;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void events() {
		UUID a = profile("a", "PT", "2026-03-02T09:00:00Z", "2026-03-10T10:00:00Z");
		page(a, "2026-03-02T09:00:00Z", "/home");
		track(a, "2026-03-02T09:01:00Z", "Product Viewed", "{\"product_id\":\"p1\",\"price\":50}");
		track(a, "2026-03-02T09:02:00Z", "Product Added", "{\"product_id\":\"p1\"}");
		track(a, "2026-03-02T09:10:00Z", "Order Completed",
				"{\"revenue\":100,\"products\":[{\"product_id\":\"p1\",\"name\":\"Shoe\",\"price\":50,\"quantity\":2,\"category\":\"shoes\",\"brand\":\"acme\"}]}");
		page(a, "2026-03-10T10:00:00Z", "/home");

		this.b = profile("b", "PT", "2026-03-02T10:00:00Z", "2026-03-17T10:00:00Z");
		track(this.b, "2026-03-02T10:00:00Z", "Product Viewed", "{\"product_id\":\"p2\"}");
		track(this.b, "2026-03-02T10:05:00Z", "Product Viewed", "{\"product_id\":\"p1\"}");
		track(this.b, "2026-03-02T10:06:00Z", "Product Added", "{\"product_id\":\"p1\"}");
		page(this.b, "2026-03-17T10:00:00Z", "/home");

		this.c = profile("c", "UK", "2026-03-03T08:00:00Z", "2026-03-12T08:10:00Z");
		track(this.c, "2026-03-03T08:00:00Z", "Product Viewed", "{\"product_id\":\"p1\"}");
		track(this.c, "2026-03-12T08:00:00Z", "Product Added", "{\"product_id\":\"p3\"}");
		track(this.c, "2026-03-12T08:10:00Z", "Order Completed",
				"{\"revenue\":30,\"products\":[{\"product_id\":\"p3\",\"price\":30}]}");

		UUID d = profile("d", "UK", "2026-03-09T12:00:00Z", "2026-03-09T12:05:00Z");
		track(d, "2026-03-09T12:00:00Z", "Product Viewed", "{\"product_id\":\"p1\"}");
		track(d, "2026-03-09T12:01:00Z", "Product Added", "{\"product_id\":\"p1\"}");
		track(d, "2026-03-09T12:03:00Z", "Cart Emptied", "{}");
		track(d, "2026-03-09T12:05:00Z", "Order Completed",
				"{\"revenue\":50,\"products\":[{\"product_id\":\"p1\",\"price\":50}]}");

		UUID e = profile("e", null, "2026-02-20T09:00:00Z", "2026-03-30T10:00:00Z");
		track(e, "2026-02-20T09:00:00Z", "Order Completed", "{\"revenue\":20}");
		track(e, "2026-03-04T08:50:00Z", "Product Viewed", "{\"product_id\":\"p2\"}");
		track(e, "2026-03-04T08:55:00Z", "Product Added", "{\"product_id\":\"p2\"}");
		track(e, "2026-03-04T09:00:00Z", "Order Completed",
				"{\"total\":\"40\",\"products\":[{\"product_id\":\"p2\",\"price\":\"40\"}]}");
		page(e, "2026-03-30T10:00:00Z", "/home");

		UUID k = profile(null, null, "2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z");
		for (int i = 0; i < 3; i++) {
			track(k, "2026-03-05T10:0" + i + ":00Z", "Promotion Viewed", "{\"zone\":\"entrance\",\"screen\":\"s1\"}");
		}
		track(k, "2026-03-05T10:03:00Z", "Promotion Clicked", "{\"zone\":\"entrance\",\"screen\":\"s1\"}");
		track(k, "2026-03-05T10:04:00Z", "Zone Dwell",
				"{\"zone\":\"entrance\",\"screen\":\"s1\",\"dwell_seconds\":30}");
		track(k, "2026-03-05T10:05:00Z", "Zone Dwell",
				"{\"zone\":\"entrance\",\"screen\":\"s1\",\"dwell_seconds\":50}");
		track(k, "2026-03-05T11:00:00Z", "Promotion Viewed", "{\"zone\":\"checkout\",\"screen\":\"s2\"}");
	}

	@Test
	void funnelCountsFirstEntriesWithinTheWindow() throws Exception {
		// entrants A B C D E; C adds after 9 days; B never buys. Step 2 times from step
		// 1:
		// 60, 360, 60, 300 s (median 180); step 3 from step 2: 480, 240, 300 s (median
		// 300)
		funnel(FUNNEL.formatted("")).andExpect(status().isOk())
			.andExpect(jsonPath("$.steps[0].count").value(5))
			.andExpect(jsonPath("$.steps[1].count").value(4))
			.andExpect(jsonPath("$.steps[2].count").value(3))
			.andExpect(jsonPath("$.steps[1].dropOff").value(1))
			.andExpect(jsonPath("$.steps[2].conversion").value(closeTo(0.6, 1e-9)))
			.andExpect(jsonPath("$.steps[2].conversionFromPrevious").value(closeTo(0.75, 1e-9)))
			.andExpect(jsonPath("$.steps[0].medianSecondsFromPrevious").value(nullValue()))
			.andExpect(jsonPath("$.steps[1].medianSecondsFromPrevious").value(closeTo(180, 1e-6)))
			.andExpect(jsonPath("$.steps[2].medianSecondsFromPrevious").value(closeTo(300, 1e-6)))
			.andExpect(jsonPath("$.steps[2].label").value("Order Completed"))
			.andExpect(jsonPath("$.excluded").value(0))
			.andExpect(jsonPath("$.groups.length()").value(0));
		// a 10-day window lets C through step 2 and 3
		funnel(FUNNEL.formatted("").replace("P7D", "P10D")).andExpect(jsonPath("$.steps[1].count").value(5))
			.andExpect(jsonPath("$.steps[2].count").value(4));
	}

	@Test
	void funnelExclusionsBreakdownsAndFilters() throws Exception {
		// D emptied the cart between adding and buying: out of the funnel
		funnel(FUNNEL.formatted(",\"exclusions\":[{\"event\":\"Cart Emptied\",\"afterStep\":2,\"beforeStep\":3}]"))
			.andExpect(jsonPath("$.excluded").value(1))
			.andExpect(jsonPath("$.steps[0].count").value(4))
			.andExpect(jsonPath("$.steps[1].count").value(3))
			.andExpect(jsonPath("$.steps[2].count").value(2));
		// PT: A, B → 2, 2, 1; UK: C, D → 2, 1, 1; (none): E → 1, 1, 1
		funnel(FUNNEL.formatted(",\"breakdown\":\"traits.country\"")).andExpect(jsonPath("$.groups.length()").value(3))
			.andExpect(jsonPath("$.groups[?(@.value == 'PT')].steps[2].count").value(1))
			.andExpect(jsonPath("$.groups[?(@.value == 'PT')].steps[1].count").value(2))
			.andExpect(jsonPath("$.groups[?(@.value == 'UK')].steps[1].count").value(1))
			.andExpect(jsonPath("$.groups[?(@.value == '(none)')].steps[2].count").value(1))
			.andExpect(jsonPath("$.steps[0].count").value(5));
		// by the first viewed product: p1 for A, C, D; p2 for B, E
		funnel(FUNNEL.formatted(",\"breakdown\":\"properties.product_id\""))
			.andExpect(jsonPath("$.groups[?(@.value == 'p1')].steps[0].count").value(3))
			.andExpect(jsonPath("$.groups[?(@.value == 'p2')].steps[2].count").value(1));
		// only those whose step 1 was a view of p2: B and E; both add, E buys
		funnel("""
				{"from":"2026-03-01","to":"2026-03-31","steps":[
				  {"event":"Product Viewed","filters":[{"property":"product_id","op":"eq","value":"p2"}]},
				  {"event":"Product Added"},{"event":"Order Completed","filters":[{"property":"revenue","op":"gte","value":40}]}]}""")
			.andExpect(jsonPath("$.steps[0].count").value(2))
			.andExpect(jsonPath("$.steps[1].count").value(2))
			.andExpect(jsonPath("$.steps[2].count").value(0));
		// a page step: A's /home page, then a view
		funnel("""
				{"from":"2026-03-01","to":"2026-03-31","steps":[
				  {"type":"page","filters":[{"property":"path","op":"startsWith","value":"/ho"}]},{"event":"Product Viewed"}]}""")
			.andExpect(jsonPath("$.steps[0].count").value(3))
			.andExpect(jsonPath("$.steps[1].count").value(1));
	}

	@Test
	void droppedProfilesArePaged() throws Exception {
		this.mvc
			.perform(post("/v1/analytics/funnels/dropped").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"step\":3,\"funnel\":" + FUNNEL.formatted("") + "}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(1))
			.andExpect(jsonPath("$.profiles[0].profileId").value(this.b.toString()))
			.andExpect(jsonPath("$.profiles[0].userId").value("b"))
			.andExpect(jsonPath("$.nextCursor").value(nullValue()));
		this.mvc
			.perform(post("/v1/analytics/funnels/dropped").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"step\":2,\"funnel\":" + FUNNEL.formatted("") + "}"))
			.andExpect(jsonPath("$.profiles[0].profileId").value(this.c.toString()));
	}

	@Test
	void pathsFromAnEventAsSankeyNodesAndLinks() throws Exception {
		// after the first view (B's second view collapses): A PA OC page; B PA page; C PA
		// OC;
		// D PA Cart Emptied OC; E PA OC page
		String request = "{\"start\":{\"event\":\"Product Viewed\"},\"depth\":3,\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"%s}";
		paths(request.formatted("")).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles").value(5))
			.andExpect(jsonPath("$.direction").value("after"))
			.andExpect(jsonPath("$.nodes[?(@.id == '0:Product Viewed')].profiles").value(5))
			.andExpect(jsonPath("$.nodes[?(@.id == '1:Product Added')].profiles").value(5))
			.andExpect(jsonPath("$.nodes[?(@.id == '2:Order Completed')].profiles").value(3))
			.andExpect(jsonPath("$.nodes[?(@.id == '2:Order Completed')].dropOff").value(1))
			.andExpect(jsonPath("$.nodes[?(@.id == '2:page /home')].dropOff").value(1))
			.andExpect(jsonPath("$.nodes[?(@.id == '3:page /home')].profiles").value(2))
			.andExpect(jsonPath("$.nodes.length()").value(7))
			.andExpect(jsonPath("$.links[?(@.source == '1:Product Added' && @.target == '2:Order Completed')].profiles")
				.value(3))
			.andExpect(jsonPath("$.links[?(@.source == '2:Cart Emptied' && @.target == '3:Order Completed')].profiles")
				.value(1))
			.andExpect(jsonPath("$.links.length()").value(6));
		// keeping the top label per step turns the rest into "other"
		paths(request.formatted(",\"top\":1")).andExpect(jsonPath("$.nodes[?(@.id == '2:other')].profiles").value(2))
			.andExpect(jsonPath("$.nodes[?(@.id == '3:other')].profiles").value(1))
			.andExpect(jsonPath("$.nodes[?(@.id == '3:page /home')].profiles").value(2));
		// without collapsing, B's second view is its first next step
		paths(request.formatted(",\"collapseRepeats\":false"))
			.andExpect(jsonPath("$.nodes[?(@.id == '1:Product Viewed')].profiles").value(1));
		// before the first purchase in March: A PA, PV, page; C PA, PV; D Cart Emptied,
		// PA, PV; E PA, PV
		paths("{\"end\":{\"event\":\"Order Completed\"},\"depth\":2,\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"}")
			.andExpect(jsonPath("$.direction").value("before"))
			.andExpect(jsonPath("$.profiles").value(4))
			.andExpect(jsonPath("$.nodes[?(@.id == '1:Product Added')].profiles").value(3))
			.andExpect(jsonPath("$.nodes[?(@.id == '1:Cart Emptied')].profiles").value(1))
			.andExpect(jsonPath("$.nodes[?(@.id == '2:Product Viewed')].profiles").value(3));
	}

	@Test
	void retentionCohortsByWeek() throws Exception {
		// cohort of week 03-02: A B C K; A and C back in week 1, B in week 2; data until
		// 03-30,
		// so week 4 (ending 04-06) is not known yet. Cohort of week 03-09: D, never back
		this.mvc
			.perform(get("/v1/analytics/retention?" + MARCH + "&cohort=first-seen&period=week&periods=4")
				.header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.cohorts.length()").value(2))
			.andExpect(jsonPath("$.cohorts[0].start").value("2026-03-02T00:00:00Z"))
			.andExpect(jsonPath("$.cohorts[0].size").value(4))
			.andExpect(jsonPath("$.cohorts[0].retained[0]").value(4))
			.andExpect(jsonPath("$.cohorts[0].retained[1]").value(2))
			.andExpect(jsonPath("$.cohorts[0].retained[2]").value(1))
			.andExpect(jsonPath("$.cohorts[0].retained[3]").value(0))
			.andExpect(jsonPath("$.cohorts[0].retained[4]").value(nullValue()))
			.andExpect(jsonPath("$.cohorts[0].rates[1]").value(closeTo(0.5, 1e-9)))
			.andExpect(jsonPath("$.cohorts[1].size").value(1))
			.andExpect(jsonPath("$.cohorts[1].retained[1]").value(0))
			.andExpect(jsonPath("$.cohorts[1].retained[3]").value(nullValue()));
		// first purchases in March: A (week 03-02), C and D (week 03-09); E bought in
		// February
		this.mvc
			.perform(get("/v1/analytics/retention?" + MARCH + "&cohort=first-purchase&period=week&periods=2"
					+ "&event=Order Completed")
				.header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.cohorts.length()").value(2))
			.andExpect(jsonPath("$.cohorts[0].size").value(1))
			.andExpect(jsonPath("$.cohorts[1].size").value(2))
			.andExpect(jsonPath("$.cohorts[1].retained[0]").value(2))
			.andExpect(jsonPath("$.cohorts[1].retained[1]").value(0));
	}

	@Test
	void kpisCompareWithThePreviousPeriod() throws Exception {
		// March: orders A 100, C 30, D 50, E 40; active A B C D E K; E bought before.
		// February (the 31 days before): E's 20.
		this.mvc.perform(get("/v1/analytics/kpis?" + MARCH).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.current.orders").value(4))
			.andExpect(jsonPath("$.current.revenue").value(closeTo(220, 1e-9)))
			.andExpect(jsonPath("$.current.averageOrderValue").value(closeTo(55, 1e-9)))
			.andExpect(jsonPath("$.current.activeProfiles").value(6))
			.andExpect(jsonPath("$.current.customers").value(4))
			.andExpect(jsonPath("$.current.newCustomers").value(3))
			.andExpect(jsonPath("$.current.returningCustomers").value(1))
			.andExpect(jsonPath("$.current.newProfiles").value(5))
			.andExpect(jsonPath("$.current.conversionRate").value(closeTo(4.0 / 6, 1e-9)))
			.andExpect(jsonPath("$.previous.from").value("2026-01-29T00:00:00Z"))
			.andExpect(jsonPath("$.previous.orders").value(1))
			.andExpect(jsonPath("$.previous.revenue").value(closeTo(20, 1e-9)))
			.andExpect(jsonPath("$.change.revenue").value(closeTo(10, 1e-9)))
			.andExpect(jsonPath("$.interval").value("day"))
			.andExpect(jsonPath("$.series[?(@.at == '2026-03-02T00:00:00Z')].revenue").value(100.0));
		this.mvc.perform(get("/v1/analytics/kpis?" + MARCH).header(Workspace.HEADER, "other-" + this.workspace))
			.andExpect(jsonPath("$.current.orders").value(0))
			.andExpect(jsonPath("$.current.activeProfiles").value(0))
			.andExpect(jsonPath("$.change.revenue").value(nullValue()));
	}

	@Test
	void salesTopEventsAndKioskZones() throws Exception {
		// lines: p1 2×50 (A) + 50 (D); p2 40 (E); p3 30 (C)
		this.mvc.perform(get("/v1/analytics/sales?" + MARCH + "&by=product").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.rows[0].product").value("p1"))
			.andExpect(jsonPath("$.rows[0].name").value("Shoe"))
			.andExpect(jsonPath("$.rows[0].revenue").value(closeTo(150, 1e-9)))
			.andExpect(jsonPath("$.rows[0].quantity").value(closeTo(3, 1e-9)))
			.andExpect(jsonPath("$.rows[0].orders").value(2))
			.andExpect(jsonPath("$.rows[1].product").value("p2"))
			.andExpect(jsonPath("$.rows[2].revenue").value(closeTo(30, 1e-9)));
		this.mvc.perform(get("/v1/analytics/sales?" + MARCH + "&by=category").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows[0].category").value("(none)"))
			.andExpect(jsonPath("$.rows[0].revenue").value(closeTo(120, 1e-9)))
			.andExpect(jsonPath("$.rows[1].category").value("shoes"));
		this.mvc.perform(get("/v1/analytics/sales?" + MARCH + "&by=day").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows[0].day").value("2026-03-02"))
			.andExpect(jsonPath("$.rows.length()").value(4));
		// views: A 1, B 2, C 1, D 1, E 1
		this.mvc.perform(get("/v1/analytics/events/top?" + MARCH).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows[0].label").value("Product Viewed"))
			.andExpect(jsonPath("$.rows[0].events").value(6))
			.andExpect(jsonPath("$.rows[0].profiles").value(5));
		this.mvc
			.perform(get("/v1/analytics/events/top?" + MARCH + "&type=page").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows[0].label").value("page /home"))
			.andExpect(jsonPath("$.rows[0].events").value(4))
			.andExpect(jsonPath("$.rows.length()").value(1));
		this.mvc.perform(get("/v1/analytics/kiosk?" + MARCH + "&by=total").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows.length()").value(2))
			.andExpect(jsonPath("$.rows[?(@.zone == 'entrance')].impressions").value(3))
			.andExpect(jsonPath("$.rows[?(@.zone == 'entrance')].clicks").value(1))
			.andExpect(jsonPath("$.rows[?(@.zone == 'entrance')].visits").value(2))
			.andExpect(jsonPath("$.rows[?(@.zone == 'entrance')].averageDwellSeconds").value(40.0))
			.andExpect(jsonPath("$.rows[?(@.zone == 'checkout')].screen").value("s2"));
		this.mvc.perform(get("/v1/analytics/kiosk?" + MARCH + "&by=hourOfDay").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows[?(@.zone == 'entrance')].hourOfDay").value(10))
			.andExpect(jsonPath("$.rows[?(@.zone == 'checkout')].hourOfDay").value(11));
		this.mvc.perform(get("/v1/analytics/span").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.first").value("2026-02-20T09:00:00Z"))
			.andExpect(jsonPath("$.profiles").value(6));
	}

	@Test
	void everyAnswerExportsAsCsvAndPdf() throws Exception {
		String csv = this.mvc
			.perform(post("/v1/analytics/funnels?format=csv").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content(FUNNEL.formatted("")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(csv.split("\r\n")).hasSize(4)
			.startsWith("breakdown,step,label,count,conversion,conversion_from_previous,drop_off,"
					+ "median_seconds_from_previous")
			.contains("(all),2,Product Added,4,0.8,0.8,1,180.0");
		String sales = this.mvc
			.perform(get("/v1/analytics/sales?" + MARCH + "&format=csv").header(Workspace.HEADER, this.workspace))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(sales).startsWith("product,name,revenue,quantity,orders,customers\r\np1,Shoe,150.0,3.0,2,2\r\n");
		String retention = this.mvc
			.perform(get("/v1/analytics/retention?" + MARCH + "&periods=2&format=csv").header(Workspace.HEADER,
					this.workspace))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(retention).startsWith("cohort,size,period_0,period_1,period_2\r\n2026-03-02T00:00:00Z,4,4,2,1\r\n");
		byte[] pdf = this.mvc
			.perform(get("/v1/analytics/sales?" + MARCH + "&format=pdf").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_PDF))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		try (PDDocument document = Loader.loadPDF(pdf)) {
			assertThat(new PDFTextStripper().getText(document)).contains("Sales by product", "revenue by product",
					"Shoe", "150.00");
		}
	}

	@Test
	void badQueriesAreProblemsPointingAtTheField() throws Exception {
		funnel("{\"steps\":[{\"event\":\"Product Viewed\"}]}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-analytics-query"))
			.andExpect(jsonPath("$.pointer").value("/steps"));
		funnel(FUNNEL.formatted("").replace("P7D", "7 days")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/window"));
		funnel("{\"steps\":[{\"event\":\"A\",\"filters\":[{\"property\":\"x\",\"op\":\"like\",\"value\":1}]},{\"event\":\"B\"}]}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/steps/0/filters/0/op"));
		funnel("{\"steps\":[{\"event\":\"A\"},{\"type\":\"page\",\"event\":\"B\"}]}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/steps/1/event"));
		funnel("{\"steps\":[{\"event\":\"A\",\"filters\":[{\"property\":\"x\",\"op\":\"gt\",\"value\":\"ten\"}]},{\"event\":\"B\"}]}")
			.andExpect(jsonPath("$.pointer").value("/steps/0/filters/0/value"));
		funnel(FUNNEL.formatted(",\"breakdown\":\"country\"")).andExpect(jsonPath("$.pointer").value("/breakdown"));
		paths("{\"start\":{\"event\":\"A\"},\"end\":{\"event\":\"B\"}}").andExpect(status().isBadRequest());
		paths("{\"start\":{\"event\":\"A\"},\"depth\":6}").andExpect(jsonPath("$.pointer").value("/depth"));
		this.mvc
			.perform(get("/v1/analytics/kpis?from=2026-03-10&to=2026-03-01").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-range"));
		this.mvc.perform(get("/v1/analytics/kpis?from=March").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/v1/analytics/sales?by=colour").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.pointer").value("by"));
		this.mvc.perform(get("/v1/analytics/kpis?format=docx").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.pointer").value("format"));
		this.mvc.perform(get("/v1/analytics/retention?period=year").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/v1/analytics/kpis")).andExpect(status().isBadRequest());
		// values that look like SQL are only ever bound
		funnel("{\"steps\":[{\"event\":\"x'); drop table profile.profile; --\",\"filters\":[{\"property\":\"a') or ('1'='1\",\"op\":\"eq\",\"value\":\"' or 1=1 --\"}]},{\"event\":\"B\"}]}")
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.steps[0].count").value(0));
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where workspace_id = ?", Long.class,
				this.workspace))
			.isEqualTo(6);
	}

	private ResultActions funnel(String body) throws Exception {
		return this.mvc.perform(post("/v1/analytics/funnels").header(Workspace.HEADER, this.workspace)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private ResultActions paths(String body) throws Exception {
		return this.mvc.perform(post("/v1/analytics/paths").header(Workspace.HEADER, this.workspace)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private UUID profile(String userId, String country, String firstSeen, String lastSeen) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.update("""
					insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
					values (?, ?, ?, coalesce(jsonb_strip_nulls(jsonb_build_object('country', ?::text)), '{}'::jsonb), ?, ?, 1)""",
					this.workspace, id, userId, country, Timestamp.from(Instant.parse(firstSeen)),
					Timestamp.from(Instant.parse(lastSeen)));
		return id;
	}

	private void track(UUID profile, String at, String event, String properties) {
		insert(profile, at, "track", event, properties);
	}

	private void page(UUID profile, String at, String path) {
		insert(profile, at, "page", "", "{\"path\":\"" + path + "\"}");
	}

	private void insert(UUID profile, String at, String type, String name, String properties) {
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values (?, ?, ?, ?, ?, ?, ?::jsonb)""",
				this.workspace, UUID.randomUUID(), profile, type, name, Timestamp.from(Instant.parse(at)), properties);
	}

}
