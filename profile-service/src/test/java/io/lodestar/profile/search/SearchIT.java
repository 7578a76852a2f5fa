package io.lodestar.profile.search;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
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
import org.springframework.test.web.servlet.MvcResult;

import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Search, list and export on the real schema with hand-built profiles whose expected
 * matches are known; every workspace here is new, so other tests' rows never interfere.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SearchIT {

	private static final Configuration LENIENT = Configuration.defaultConfiguration()
		.addOptions(Option.SUPPRESS_EXCEPTIONS);

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "search-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<UUID> ids = new ArrayList<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void profiles() {
		// 0 ada: UK, pro, age 36, signed up 2026-01-10, 12 events, marketing granted
		profile("ada", """
				{"name":"Ada","country":"United Kingdom","plan":"pro","age":36,"signupAt":"2026-01-10T10:00:00Z",
				 "address":{"city":"London"},"email":"ada@lovelace.io"}""", "2026-11-01T00:00:00Z", 12);
		// 1 grace: US, free, age 45, 3 events, marketing denied
		profile("grace", """
				{"name":"Grace","country":"United States","plan":"free","age":45,"signupAt":"2026-03-01T00:00:00Z",
				 "address":{"city":"Arlington"}}""", "2026-11-02T00:00:00Z", 3);
		// 2 anonymous visitor with no user id, no traits, 1 event
		profile(null, "{}", "2026-11-03T00:00:00Z", 1);
		// 3 alan: UK, age "unknown" (a string where others have numbers), 7 events,
		// marketing granted
		profile("alan", """
				{"name":"=HYPERLINK(\\"http://evil\\")","country":"United Kingdom","plan":"pro","age":"unknown",
				 "address":{"city":"Wilmslow"},"email":"alan, turing@bletchley.uk"}""", "2026-11-04T00:00:00Z", 7);
		// 4 katherine: US, pro, age 30, 20 events, no consent recorded
		profile("katherine", """
				{"name":"Katherine","country":"United States","plan":"pro","age":30.5,"vip":true}""",
				"2026-11-05T00:00:00Z", 20);
		consent(0, "marketing", true);
		consent(1, "marketing", false);
		consent(3, "marketing", true);
		consent(4, "analytics", true);
	}

	@Test
	void everyOperatorSelectsExactlyTheExpectedProfiles() throws Exception {
		assertMatches("[{\"field\":\"traits.country\",\"op\":\"eq\",\"value\":\"United Kingdom\"}]", 0, 3);
		assertMatches("[{\"field\":\"traits.country\",\"op\":\"neq\",\"value\":\"United Kingdom\"}]", 1, 4);
		assertMatches("[{\"field\":\"traits.plan\",\"op\":\"in\",\"value\":[\"free\",\"enterprise\"]}]", 1);
		assertMatches("[{\"field\":\"traits.name\",\"op\":\"prefix\",\"value\":\"Ka\"}]", 4);
		assertMatches("[{\"field\":\"traits.email\",\"op\":\"exists\"}]", 0, 3);
		assertMatches("[{\"field\":\"traits.email\",\"op\":\"missing\"}]", 1, 2, 4);
		assertMatches("[{\"field\":\"traits.vip\",\"op\":\"eq\",\"value\":true}]", 4);
		assertMatches("[{\"field\":\"traits.age\",\"op\":\"eq\",\"value\":36}]", 0);
		assertMatches("[{\"field\":\"traits.age\",\"op\":\"gte\",\"value\":36}]", 0, 1);
		assertMatches("[{\"field\":\"traits.age\",\"op\":\"lt\",\"value\":36}]", 4);
		assertMatches("[{\"field\":\"traits.age\",\"op\":\"between\",\"value\":[30,40]}]", 0, 4);
		assertMatches("[{\"field\":\"traits.signupAt\",\"op\":\"lt\",\"value\":\"2026-02-01T00:00:00Z\"}]", 0);
		assertMatches("[{\"field\":\"traits.address.city\",\"op\":\"eq\",\"value\":\"London\"}]", 0);
		assertMatches("[{\"field\":\"traits.address.city\",\"op\":\"prefix\",\"value\":\"W\"}]", 3);
		assertMatches("[{\"field\":\"userId\",\"op\":\"missing\"}]", 2);
		assertMatches("[{\"field\":\"userId\",\"op\":\"in\",\"value\":[\"ada\",\"alan\",\"nobody\"]}]", 0, 3);
		assertMatches("[{\"field\":\"userId\",\"op\":\"prefix\",\"value\":\"a\"}]", 0, 3);
		assertMatches("[{\"field\":\"eventCount\",\"op\":\"gte\",\"value\":7}]", 0, 3, 4);
		assertMatches("[{\"field\":\"eventCount\",\"op\":\"in\",\"value\":[1,3]}]", 1, 2);
		assertMatches("[{\"field\":\"lastSeenAt\",\"op\":\"between\",\"value\":[\"2026-11-02T00:00:00Z\","
				+ "\"2026-11-04T00:00:00Z\"]}]", 1, 2, 3);
		assertMatches("[{\"field\":\"consent.marketing\",\"op\":\"eq\",\"value\":true}]", 0, 3);
		assertMatches("[{\"field\":\"consent.marketing\",\"op\":\"eq\",\"value\":false}]", 1, 2, 4);
		// every filter holds
		assertMatches("""
				[{"field":"traits.plan","op":"eq","value":"pro"},
				 {"field":"eventCount","op":"gt","value":10},
				 {"field":"traits.country","op":"eq","value":"United States"}]""", 4);
		assertMatches("[]", 0, 1, 2, 3, 4);
	}

	@Test
	void computedTraitsFilterAsThePipelineKeepsThem() throws Exception {
		// ada: 3 orders, 165.50, last bought 2026-10-30, lighting, via paid social;
		// katherine:
		// 5 orders of 10, via a newsletter; the others have no computed traits yet
		this.jdbc.update(
				"""
						insert into profile.profile_computed (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at,
						       last_purchase_at, favourite_category, acquisition_source, acquisition_medium, acquisition_campaign,
						       acquisition_channel, acquired_at)
						values (?, ?, 4, 3, 165.5, '2026-09-01T00:00:00Z', '2026-10-30T00:00:00Z', 'lighting', 'facebook',
						        'paid_social', 'Spring Sale', 'Paid Social', '2026-08-31T00:00:00Z'),
						       (?, ?, 9, 5, 50, '2026-10-01T00:00:00Z', '2026-11-04T00:00:00Z', 'kitchen', 'newsletter', 'email',
						        'November', 'Email', '2026-09-30T00:00:00Z')""",
				this.workspace, this.ids.get(0), this.workspace, this.ids.get(4));
		assertMatches("[{\"field\":\"orders\",\"op\":\"gte\",\"value\":3}]", 0, 4);
		assertMatches("[{\"field\":\"orders\",\"op\":\"eq\",\"value\":0}]", 1, 2, 3);
		assertMatches("[{\"field\":\"revenue\",\"op\":\"between\",\"value\":[100,200]}]", 0);
		assertMatches("[{\"field\":\"sessions\",\"op\":\"gt\",\"value\":5}]", 4);
		assertMatches("[{\"field\":\"averageOrderValue\",\"op\":\"lt\",\"value\":20}]", 4);
		assertMatches("[{\"field\":\"lastPurchaseAt\",\"op\":\"gte\",\"value\":\"2026-11-01T00:00:00Z\"}]", 4);
		assertMatches("[{\"field\":\"firstPurchaseAt\",\"op\":\"exists\"}]", 0, 4);
		assertMatches("[{\"field\":\"favouriteCategory\",\"op\":\"eq\",\"value\":\"lighting\"}]", 0);
		assertMatches("[{\"field\":\"favouriteBrand\",\"op\":\"missing\"}]", 0, 1, 2, 3, 4);
		assertMatches("[{\"field\":\"acquisition.channel\",\"op\":\"in\",\"value\":[\"Email\",\"Referral\"]}]", 4);
		assertMatches("[{\"field\":\"acquisition.source\",\"op\":\"prefix\",\"value\":\"face\"}]", 0);
		assertMatches("[{\"field\":\"acquisition.medium\",\"op\":\"neq\",\"value\":\"email\"}]", 0);
		assertMatches("[{\"field\":\"acquisition.campaign\",\"op\":\"missing\"}]", 1, 2, 3);
		assertInvalid("{\"filters\":[{\"field\":\"orders\",\"op\":\"prefix\",\"value\":\"3\"}]}", "/filters/0/op");
	}

	@Test
	void injectionAttemptsMatchNothingAndChangeNothing() throws Exception {
		String[] attacks = { "x') or 1=1 --", "' or '1'='1", "\"; drop table profile.profile; --", "country\\",
				"$$ or true $$" };
		for (String attack : attacks) {
			String quoted = "\"" + attack.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
			assertMatches("[{\"field\":\"traits." + attack.replace("\\", "\\\\").replace("\"", "\\\"")
					+ "\",\"op\":\"eq\",\"value\":\"United Kingdom\"}]");
			assertMatches("[{\"field\":\"traits.country\",\"op\":\"eq\",\"value\":" + quoted + "}]");
			assertMatches("[{\"field\":\"traits.country\",\"op\":\"prefix\",\"value\":" + quoted + "}]");
			assertMatches("[{\"field\":\"userId\",\"op\":\"in\",\"value\":[" + quoted + "]}]");
		}
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where workspace_id = ?", Long.class,
				this.workspace))
			.isEqualTo(5);
	}

	@Test
	void pagesWalkEveryProfileOnceInOrderWhileNewProfilesArrive() throws Exception {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			String body = "{\"limit\":2,\"sort\":{\"field\":\"lastSeenAt\",\"direction\":\"desc\"}"
					+ ((cursor != null) ? ",\"cursor\":\"" + cursor + "\"" : "") + "}";
			MvcResult page = search(body).andExpect(status().isOk()).andReturn();
			String json = page.getResponse().getContentAsString();
			seen.addAll(JsonPath.read(json, "$.profiles[*].profileId"));
			cursor = JsonPath.using(LENIENT).parse(json).read("$.nextCursor");
			if (pages++ == 0) {
				assertThat((Integer) JsonPath.read(json, "$.total")).isEqualTo(5);
				assertThat((Boolean) JsonPath.read(json, "$.totalExact")).isTrue();
				// a profile more recent than every page arrives after the first page:
				// keyset
				// paging neither repeats nor skips the ones already listed
				profile("late", "{}", "2026-11-30T00:00:00Z", 1);
			}
		}
		while (cursor != null);
		assertThat(seen).containsExactly(id(4), id(3), id(2), id(1), id(0));
	}

	@Test
	void sortsByEventCountBothWays() throws Exception {
		assertThat(ids(search("{\"sort\":{\"field\":\"eventCount\",\"direction\":\"asc\"}}"))).containsExactly(id(2),
				id(1), id(3), id(0), id(4));
		String first = search("{\"limit\":3,\"sort\":{\"field\":\"eventCount\"}}").andReturn()
			.getResponse()
			.getContentAsString();
		assertThat((List<String>) JsonPath.read(first, "$.profiles[*].profileId")).containsExactly(id(4), id(0), id(3));
		String next = JsonPath.read(first, "$.nextCursor");
		assertThat(ids(search("{\"limit\":3,\"sort\":{\"field\":\"eventCount\"},\"cursor\":\"" + next + "\"}")))
			.containsExactly(id(1), id(2));
		// a cursor belongs to its sort
		search("{\"sort\":{\"field\":\"lastSeenAt\"},\"cursor\":\"" + next + "\"}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-cursor"));
	}

	@Test
	void theListIsTheProfilesWithoutAnIdentifier() throws Exception {
		this.mvc.perform(get("/v1/profiles").param("limit", "2").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(2))
			.andExpect(jsonPath("$.profiles[0].profileId").value(id(4)))
			.andExpect(jsonPath("$.profiles[0].traits.name").value("Katherine"))
			.andExpect(jsonPath("$.total").value(5))
			.andExpect(jsonPath("$.nextCursor").isString());
		this.mvc.perform(get("/v1/profiles").header(Workspace.HEADER, "empty-" + this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(0))
			.andExpect(jsonPath("$.total").value(0))
			.andExpect(jsonPath("$.nextCursor").doesNotExist());
	}

	@Test
	void invalidSearchesPointAtTheBadPart() throws Exception {
		assertInvalid("{\"filters\":[{\"field\":\"password\",\"op\":\"eq\",\"value\":\"x\"}]}", "/filters/0/field");
		assertInvalid("{\"filters\":[{\"field\":\"eventCount\",\"op\":\"prefix\",\"value\":\"1\"}]}", "/filters/0/op");
		assertInvalid("{\"filters\":[{\"field\":\"eventCount\",\"op\":\"gt\",\"value\":\"many\"}]}",
				"/filters/0/value");
		assertInvalid("{\"filters\":[{\"field\":\"lastSeenAt\",\"op\":\"gt\",\"value\":\"yesterday\"}]}",
				"/filters/0/value");
		assertInvalid("{\"filters\":[{\"field\":\"traits.age\",\"op\":\"between\",\"value\":[1]}]}",
				"/filters/0/value");
		assertInvalid(
				"{\"filters\":[{\"field\":\"traits.a\",\"op\":\"exists\"},{\"field\":\"traits.\",\"op\":\"exists\"}]}",
				"/filters/1/field");
		assertInvalid("{\"filters\":[{\"field\":\"traits.a\",\"op\":\"in\",\"value\":[]}]}", "/filters/0/value");
		assertInvalid("{\"filters\":[{\"field\":\"consent.sales\",\"op\":\"eq\",\"value\":true}]}", "/filters/0/field");
		assertInvalid("{\"limit\":0}", "/limit");
		assertInvalid("{\"sort\":{\"field\":\"traits.age\"}}", "/sort/field");
		search("{\"cursor\":\"bm90LWEtY3Vyc29y\"}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-cursor"));
		search("{\"filters\":").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void exportStreamsCsvOfProfilesWithMarketingConsentByDefault() throws Exception {
		String csv = export("""
				{"filters":[{"field":"traits.plan","op":"eq","value":"pro"}],
				 "sort":{"field":"lastSeenAt","direction":"asc"},
				 "columns":["profileId","userId","traits.name","traits.email","traits.address.city","eventCount"]}""");
		// katherine (pro) has no marketing consent: left out
		assertThat(csv).isEqualTo("profileId,userId,traits.name,traits.email,traits.address.city,eventCount\r\n" + id(0)
				+ ",ada,Ada,ada@lovelace.io,London,12\r\n" + id(3)
				+ ",alan,\"'=HYPERLINK(\"\"http://evil\"\")\",\"alan, turing@bletchley.uk\",Wilmslow,7\r\n");
		String everyone = export("{\"ignoreConsent\":true,\"sort\":{\"field\":\"eventCount\"}}");
		assertThat(everyone.split("\r\n")).hasSize(6)
			.startsWith("profileId,userId,firstSeenAt,lastSeenAt,eventCount")
			.anySatisfy((line) -> assertThat(line).startsWith(id(4) + ",katherine,"));
		String analytics = export("{\"consentPurpose\":\"analytics\"}");
		assertThat(analytics.split("\r\n")).hasSize(2);
		this.mvc
			.perform(post("/v1/profiles/export").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"columns\":[\"traits.\"]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/columns/0"));
		this.mvc
			.perform(post("/v1/profiles/export").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"filters\":[{\"field\":\"nope\",\"op\":\"eq\",\"value\":1}]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/filters/0/field"));
	}

	@Test
	void typedTraitComparisonsWorkInParallelQueries() {
		// the cast helpers catch errors in a subtransaction, which a parallel worker may
		// not start:
		// they are parallel restricted, so a query the planner runs in parallel still
		// works
		Long matched = this.jdbc.execute((Connection connection) -> {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				// PostgreSQL 16 renamed force_parallel_mode to debug_parallel_query
				statement.execute("select set_config(case when current_setting('server_version_num')::int >= 160000"
						+ " then 'debug_parallel_query' else 'force_parallel_mode' end, 'on', true)");
				try (ResultSet rows = statement.executeQuery(
						"select count(*) from profile.profile where profile.try_numeric(traits ->> 'age') > 30"
								+ " or profile.try_timestamptz(traits ->> 'signupAt') is not null")) {
					rows.next();
					return rows.getLong(1);
				}
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		});
		assertThat(matched).isNotNull();
	}

	@Test
	void traitEqualityAndTheListUseTheirIndexesAtVolume() {
		// 20,000 profiles in one workspace, statistics gathered, then the planner's
		// choice for
		// the two common shapes; rolled back afterwards
		String plan = this.jdbc.execute((Connection connection) -> {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute(
						"""
								insert into profile.profile (workspace_id, profile_id, traits, first_seen_at, last_seen_at, event_count)
								select 'explain', gen_random_uuid(), jsonb_build_object('plan', 'p' || (i % 1000), 'n', i),
								       now() - i * interval '1 minute', now() - i * interval '1 second', i % 50
								  from generate_series(1, 20000) i""");
				statement.execute("analyze profile.profile");
				StringBuilder text = new StringBuilder();
				for (String query : new String[] {
						"select profile_id from profile.profile p where p.workspace_id = 'explain' and p.traits @> '{\"plan\":\"p7\"}'::jsonb",
						"select profile_id from profile.profile p where p.workspace_id = 'explain' order by p.last_seen_at desc, p.profile_id desc limit 51" }) {
					try (ResultSet rows = statement.executeQuery("explain " + query)) {
						while (rows.next()) {
							text.append(rows.getString(1)).append('\n');
						}
					}
				}
				return text.toString();
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		});
		assertThat(plan).contains("profile_traits_gin").contains("profile_last_seen_ix").doesNotContain("Seq Scan");
	}

	private String export(String body) throws Exception {
		MvcResult started = this.mvc
			.perform(post("/v1/profiles/export").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(request().asyncStarted())
			.andReturn();
		return this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private void assertInvalid(String body, String pointer) throws Exception {
		search(body).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-search"))
			.andExpect(jsonPath("$.pointer").value(pointer));
	}

	private void assertMatches(String filters, int... expected) throws Exception {
		List<String> found = ids(search("{\"limit\":200,\"filters\":" + filters + "}").andExpect(status().isOk()));
		Set<String> want = java.util.Arrays.stream(expected).mapToObj(this::id).collect(Collectors.toSet());
		assertThat(Set.copyOf(found)).as(filters).isEqualTo(want);
		assertThat(found).as(filters).hasSameSizeAs(want);
	}

	private List<String> ids(org.springframework.test.web.servlet.ResultActions result) throws Exception {
		return JsonPath.read(result.andReturn().getResponse().getContentAsString(), "$.profiles[*].profileId");
	}

	private org.springframework.test.web.servlet.ResultActions search(String body) throws Exception {
		return this.mvc.perform(post("/v1/profiles/search").header(Workspace.HEADER, this.workspace)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private String id(int index) {
		return this.ids.get(index).toString();
	}

	private void profile(String userId, String traits, String lastSeenAt, long events) {
		UUID id = UUID.randomUUID();
		this.ids.add(id);
		Instant last = Instant.parse(lastSeenAt);
		this.jdbc.update(
				"""
						insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
						values (?, ?, ?, ?::jsonb, ?, ?, ?)""",
				this.workspace, id, userId, traits, java.sql.Timestamp.from(last.minusSeconds(86_400 * events)),
				java.sql.Timestamp.from(last), events);
	}

	private void consent(int index, String purpose, boolean granted) {
		this.jdbc.update("""
				insert into profile.profile_consent (workspace_id, profile_id, purpose, granted, source, recorded_at)
				values (?, ?, ?, ?, 'test', now())""", this.workspace, this.ids.get(index), purpose, granted);
	}

}
