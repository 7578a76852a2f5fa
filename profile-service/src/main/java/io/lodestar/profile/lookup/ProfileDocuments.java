package io.lodestar.profile.lookup;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A profile's whole document in one statement: the profile row with its identities, event
 * counts, computed traits (etl-service's {@code profile_computed}), consent, LTV, RFM
 * tier, merge history and segment memberships aggregated as JSON by PostgreSQL — one
 * round trip per lookup instead of one per part, since lookups are the API's hottest
 * path.
 */
@Component
class ProfileDocuments {

	private static final TypeReference<Map<String, Object>> TRAITS = new TypeReference<>() {
	};

	private static final String PARTS = """
			select p.profile_id, p.workspace_id, p.user_id, p.traits::text as traits, p.first_seen_at, p.last_seen_at,
			       p.event_count, pc.sessions, pc.orders, pc.revenue, pc.average_order_value, pc.first_purchase_at,
			       pc.last_purchase_at, floor(extract(epoch from now() - pc.last_purchase_at) / 86400)::int as days_since,
			       pc.favourite_category, pc.favourite_brand, pc.acquisition_source, pc.acquisition_medium,
			       pc.acquisition_campaign, pc.acquisition_channel, pc.acquired_at,
			       (select json_agg(json_build_array(i.kind, i.value, i.first_seen_at, i.last_seen_at) order by i.kind, i.value)
			          from profile.profile_identity i
			         where i.workspace_id = p.workspace_id and i.profile_id = p.profile_id)::text as identities,
			       (select json_agg(json_build_array(c.event_type, c.event_name, c.event_count))
			          from profile.profile_event_count c
			         where c.workspace_id = p.workspace_id and c.profile_id = p.profile_id)::text as counts,
			       (select json_agg(json_build_array(c.purpose, c.granted, c.source, c.recorded_at))
			          from profile.profile_consent c
			         where c.workspace_id = p.workspace_id and c.profile_id = p.profile_id)::text as consent,
			       (select json_build_array(l.model_id, m.fitted_at, l.purchases, l.probability_alive, l.expected_purchases_30,
			                                l.expected_purchases_90, l.expected_purchases_365, l.expected_average_spend,
			                                l.predicted_spend_365)
			          from profile.profile_ltv l join profile.ltv_model m on m.model_id = l.model_id
			         where l.workspace_id = p.workspace_id and l.profile_id = p.profile_id)::text as ltv,
			       (select json_build_array(r.tier, r.recency_days, r.frequency, r.monetary, r.r_score, r.f_score, r.m_score,
			                                run.computed_at)
			          from profile.profile_rfm r join profile.rfm_run run on run.run_id = r.run_id
			         where r.workspace_id = p.workspace_id and r.profile_id = p.profile_id)::text as rfm,
			       (select json_agg(json_build_array(m.merged_profile_id, m.reason, m.merged_at)
			                        order by m.merged_at desc, m.merged_profile_id)
			          from profile.profile_merge m
			         where m.workspace_id = p.workspace_id and m.into_profile_id = p.profile_id)::text as merges
			""";

	/**
	 * segment-service's memberships, a documented contract (absent until its schema
	 * exists).
	 */
	private static final String SEGMENTS = """
			       , (select json_agg(json_build_array(m.segment_id, s.name, m.entered_at) order by s.name)
			            from segment.membership m join segment.segment s on s.segment_id = m.segment_id
			           where m.workspace_id = p.workspace_id and m.profile_id = p.profile_id)::text as segments
			""";

	private static final String FROM = """
			  from profile.profile p
			  left join profile.profile_computed pc on pc.workspace_id = p.workspace_id and pc.profile_id = p.profile_id
			 where p.workspace_id = :workspace and p.profile_id = :profile
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	/** Once segment-service's schema exists it stays: asked until then. */
	private volatile boolean segmentsExist;

	ProfileDocuments(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * @param workspace the workspace
	 * @param profileId a live profile's id
	 * @param mergedFrom the id that was asked for, when it was merged into this profile
	 * @return the document, or empty when no such profile exists
	 */
	Optional<ProfileResponse> find(String workspace, UUID profileId, UUID mergedFrom) {
		boolean segments = segmentsExist();
		return this.jdbc.sql(PARTS + (segments ? SEGMENTS : "") + FROM)
			.param("workspace", workspace)
			.param("profile", profileId)
			.query((row, n) -> document(row, mergedFrom, segments))
			.optional();
	}

	private boolean segmentsExist() {
		if (!this.segmentsExist) {
			this.segmentsExist = Boolean.TRUE
				.equals(this.jdbc.sql("select to_regclass('segment.membership') is not null")
					.query(Boolean.class)
					.single());
		}
		return this.segmentsExist;
	}

	private ProfileResponse document(ResultSet row, UUID mergedFrom, boolean segments) throws SQLException {
		List<ProfileResponse.IdentityResponse> identities = new ArrayList<>();
		for (JsonNode identity : array(row.getString("identities"))) {
			identities.add(new ProfileResponse.IdentityResponse(identity.get(0).asString(), identity.get(1).asString(),
					instant(identity.get(2)), instant(identity.get(3))));
		}
		Map<String, Long> byType = new TreeMap<>();
		Map<String, Long> byName = new TreeMap<>();
		for (JsonNode count : array(row.getString("counts"))) {
			String type = count.get(0).asString();
			long events = count.get(2).asLong();
			byType.merge(type, events, Long::sum);
			if ("track".equals(type)) {
				byName.merge(count.get(1).asString(), events, Long::sum);
			}
		}
		Map<String, ProfileResponse.ConsentState> consent = new TreeMap<>();
		for (JsonNode decision : array(row.getString("consent"))) {
			consent.put(decision.get(0).asString(), new ProfileResponse.ConsentState(decision.get(1).asBoolean(),
					text(decision.get(2)), instant(decision.get(3))));
		}
		String traits = row.getString("traits");
		return new ProfileResponse(row.getObject("profile_id", UUID.class), mergedFrom, row.getString("workspace_id"),
				row.getString("user_id"), identities,
				(traits != null) ? this.json.readValue(traits, TRAITS) : new LinkedHashMap<>(),
				computed(row, byType, byName), consent, ltv(row.getString("ltv")),
				segments ? segments(row.getString("segments")) : null, rfm(row.getString("rfm")),
				merges(row.getString("merges")));
	}

	private static ProfileResponse.Computed computed(ResultSet row, Map<String, Long> byType, Map<String, Long> byName)
			throws SQLException {
		boolean known = row.getObject("orders") != null;
		ProfileResponse.Acquisition acquisition = (row.getTimestamp("acquired_at") != null)
				? new ProfileResponse.Acquisition(row.getString("acquisition_source"),
						row.getString("acquisition_medium"), row.getString("acquisition_campaign"),
						row.getString("acquisition_channel"), row.getTimestamp("acquired_at").toInstant())
				: null;
		return new ProfileResponse.Computed(row.getTimestamp("first_seen_at").toInstant(),
				row.getTimestamp("last_seen_at").toInstant(), row.getLong("event_count"), byType, byName,
				known ? row.getLong("sessions") : 0, known ? row.getLong("orders") : 0,
				known ? row.getBigDecimal("revenue").doubleValue() : 0, decimal(row, "average_order_value"),
				timestamp(row, "first_purchase_at"), timestamp(row, "last_purchase_at"),
				(Integer) row.getObject("days_since"), row.getString("favourite_category"),
				row.getString("favourite_brand"), acquisition);
	}

	private static Double decimal(ResultSet row, String column) throws SQLException {
		BigDecimal value = row.getBigDecimal(column);
		return (value != null) ? value.doubleValue() : null;
	}

	private static Instant timestamp(ResultSet row, String column) throws SQLException {
		Timestamp value = row.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

	private ProfileResponse.Ltv ltv(String text) {
		if (text == null) {
			return null;
		}
		JsonNode ltv = this.json.readTree(text);
		return new ProfileResponse.Ltv(UUID.fromString(ltv.get(0).asString()), instant(ltv.get(1)), ltv.get(2).asInt(),
				ltv.get(3).asDouble(), ltv.get(4).asDouble(), ltv.get(5).asDouble(), ltv.get(6).asDouble(),
				number(ltv.get(7)), number(ltv.get(8)));
	}

	private ProfileResponse.Rfm rfm(String text) {
		if (text == null) {
			return null;
		}
		JsonNode rfm = this.json.readTree(text);
		return new ProfileResponse.Rfm(rfm.get(0).asString(), rfm.get(1).asInt(), rfm.get(2).asInt(),
				rfm.get(3).asDouble(), rfm.get(4).asInt(), rfm.get(5).asInt(), rfm.get(6).asInt(), instant(rfm.get(7)));
	}

	private List<ProfileResponse.Merge> merges(String text) {
		List<ProfileResponse.Merge> merges = new ArrayList<>();
		for (JsonNode merge : array(text)) {
			merges.add(new ProfileResponse.Merge(UUID.fromString(merge.get(0).asString()), merge.get(1).asString(),
					instant(merge.get(2))));
		}
		return merges;
	}

	private List<ProfileResponse.SegmentMembership> segments(String text) {
		List<ProfileResponse.SegmentMembership> memberships = new ArrayList<>();
		for (JsonNode membership : array(text)) {
			memberships.add(new ProfileResponse.SegmentMembership(UUID.fromString(membership.get(0).asString()),
					membership.get(1).asString(), instant(membership.get(2))));
		}
		return memberships;
	}

	private List<JsonNode> array(String text) {
		List<JsonNode> items = new ArrayList<>();
		if (text != null) {
			this.json.readTree(text).forEach(items::add);
		}
		return items;
	}

	private static Instant instant(JsonNode value) {
		return (value == null || value.isNull()) ? null : OffsetDateTime.parse(value.asString()).toInstant();
	}

	private static String text(JsonNode value) {
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static Double number(JsonNode value) {
		return (value == null || value.isNull()) ? null : value.asDouble();
	}

}
