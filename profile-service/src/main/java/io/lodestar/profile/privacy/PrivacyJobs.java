package io.lodestar.profile.privacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.profile.lake.LakeClient;
import io.lodestar.profile.lookup.ProfileService;
import io.lodestar.web.Workspace;

/**
 * What an access or an erasure request does. Both are idempotent: a retried attempt after
 * a crash anywhere gives the same end state.
 */
@Component
class PrivacyJobs {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ProfileService profiles;

	private final LakeClient lake;

	private final PrivacyRequests requests;

	private final PrivacyProperties properties;

	private final JsonMapper json;

	private final ApplicationEventPublisher events;

	private final Clock clock = Clock.systemUTC();

	PrivacyJobs(JdbcClient jdbc, TransactionTemplate transactions, ProfileService profiles, LakeClient lake,
			PrivacyRequests requests, PrivacyProperties properties, JsonMapper json, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
		this.transactions = transactions;
		this.profiles = profiles;
		this.lake = lake;
		this.requests = requests;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * Right to erasure: the identifiers go on the suppression list first (so nothing new
	 * arrives for the person), then the lake rows are deleted, then every PostgreSQL row
	 * of the profile and of the profiles merged into it, in one transaction with the
	 * audit entry.
	 */
	Map<String, Object> erase(PrivacyRequests.Claimed request) {
		String workspace = request.workspaceId();
		List<UUID> profileIds = profileIds(workspace, request.profileId());
		List<Identity> identities = identities(workspace, profileIds);
		int suppressed = 0;
		for (Identity identity : identities) {
			IdentifierKind kind = IdentifierKind.ofCode(identity.kind()).orElse(null);
			if (kind == null) {
				continue;
			}
			suppressed += this.jdbc.sql("""
					insert into profile.suppressed_identity (workspace_id, kind, value_sha256, request_id)
					values (:workspace, :kind, :hash, :request)
					on conflict (workspace_id, kind, value_sha256) do nothing""")
				.param("workspace", workspace)
				.param("kind", kind.code())
				.param("hash", Identifiers.suppressionHash(kind, identity.value()))
				.param("request", request.requestId())
				.update();
		}
		long lakeRows = this.lake.configured() ? this.lake.erase(workspace, profileIds) : 0;
		Map<String, Object> result = new LinkedHashMap<>();
		this.transactions.executeWithoutResult((status) -> {
			long events = count("select count(*) from profile.profile_event where workspace_id = :workspace"
					+ " and profile_id in (:ids)", workspace, profileIds);
			int merges = this.jdbc.sql("""
					delete from profile.profile_merge where workspace_id = :workspace
					   and (merged_profile_id in (:ids) or into_profile_id in (:ids))""")
				.param("workspace", workspace)
				.param("ids", profileIds)
				.update();
			// cascades to identities, event counts, timeline events and consent
			int deleted = this.jdbc
				.sql("delete from profile.profile where workspace_id = :workspace and profile_id in (:ids)")
				.param("workspace", workspace)
				.param("ids", profileIds)
				.update();
			result.put("profiles", deleted);
			result.put("mergedProfiles", merges);
			result.put("identities", identities.size());
			result.put("events", events);
		});
		this.events.publishEvent(new ProfilesErased(workspace, profileIds));
		if (this.lake.configured()) {
			// a micro-batch that read the person's events before they were deleted may
			// still be writing them to the lake: once it has surely finished, erase again
			settle();
			lakeRows += this.lake.erase(workspace, profileIds);
		}
		result.put("lake", this.lake.configured() ? "erased" : "not configured");
		result.put("lakeRows", lakeRows);
		result.put("suppressedIdentifiers", suppressed);
		this.transactions.executeWithoutResult((status) -> {
			this.requests.audit(workspace, request.requestId(), "erasure.completed", result);
			this.requests.complete(request.requestId(), result);
			this.requests.forgetSubject(request.requestId());
		});
		return result;
	}

	private void settle() {
		try {
			Thread.sleep(this.properties.lakeSettle().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while the lake settled", ex);
		}
	}

	/**
	 * Right of access: everything held on the person — the profile document, every
	 * identifier, consent, merge history, and every event from PostgreSQL and the lake —
	 * kept for download until the retention ends.
	 */
	Map<String, Object> access(PrivacyRequests.Claimed request) {
		String workspace = request.workspaceId();
		Workspace scope = new Workspace(workspace);
		List<UUID> profileIds = profileIds(workspace, request.profileId());
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("requestId", request.requestId());
		document.put("generatedAt", this.clock.instant());
		document.put("profile", this.profiles.byId(scope, request.profileId()).orElse(null));
		document.put("mergedProfileIds", profileIds.subList(1, profileIds.size()));
		List<Map<String, Object>> events = new ArrayList<>(this.jdbc.sql("""
				select event_id, profile_id, event_type, event_name, occurred_at, properties::text as properties
				  from profile.profile_event where workspace_id = :workspace and profile_id in (:ids)
				 order by occurred_at desc, event_id desc""")
			.param("workspace", workspace)
			.param("ids", profileIds)
			.query((row, n) -> {
				Map<String, Object> event = new LinkedHashMap<>();
				event.put("eventId", row.getObject("event_id", UUID.class).toString());
				event.put("type", row.getString("event_type"));
				event.put("name", row.getString("event_name"));
				event.put("occurredAt", row.getTimestamp("occurred_at").toInstant().toString());
				String properties = row.getString("properties");
				event.put("properties", (properties != null) ? this.json.readValue(properties, MAP) : null);
				event.put("store", "postgresql");
				return event;
			})
			.list());
		int lakeEvents = 0;
		if (this.lake.configured()) {
			Set<Object> seen = new HashSet<>(events.stream().map((e) -> e.get("eventId")).toList());
			for (JsonNode event : this.lake.events(workspace, profileIds)) {
				Map<String, Object> row = this.json.convertValue(event, MAP);
				if (seen.add(String.valueOf(row.get("eventId")))) {
					row.put("store", "lake");
					events.add(row);
					lakeEvents++;
				}
			}
		}
		document.put("events", events);
		document.put("lake", this.lake.configured() ? "read" : "not configured");
		this.requests.saveExport(request.requestId(), document,
				this.clock.instant().plus(this.properties.exportRetention()));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("profiles", profileIds.size());
		result.put("events", events.size());
		result.put("lakeEvents", lakeEvents);
		result.put("lake", this.lake.configured() ? "read" : "not configured");
		this.transactions.executeWithoutResult((status) -> {
			this.requests.audit(workspace, request.requestId(), "access.completed", result);
			this.requests.complete(request.requestId(), result);
		});
		return result;
	}

	/** The profile and every profile merged into it. */
	private List<UUID> profileIds(String workspace, UUID profileId) {
		List<UUID> ids = new ArrayList<>();
		ids.add(profileId);
		ids.addAll(this.jdbc.sql("""
				select merged_profile_id from profile.profile_merge
				 where workspace_id = :workspace and into_profile_id = :profile order by merged_at""")
			.param("workspace", workspace)
			.param("profile", profileId)
			.query(UUID.class)
			.list());
		return ids;
	}

	private List<Identity> identities(String workspace, List<UUID> profileIds) {
		return this.jdbc.sql("""
				select kind, value from profile.profile_identity
				 where workspace_id = :workspace and profile_id in (:ids)""")
			.param("workspace", workspace)
			.param("ids", profileIds)
			.query((row, n) -> new Identity(row.getString("kind"), row.getString("value")))
			.list();
	}

	private long count(String sql, String workspace, List<UUID> ids) {
		return this.jdbc.sql(sql).param("workspace", workspace).param("ids", ids).query(Long.class).single();
	}

	private record Identity(String kind, String value) {
	}

}
