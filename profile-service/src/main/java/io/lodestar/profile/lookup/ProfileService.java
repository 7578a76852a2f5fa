package io.lodestar.profile.lookup;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.lodestar.contracts.identity.IdentifierKind;
import org.springframework.transaction.annotation.Transactional;

import io.lodestar.web.Workspace;

/**
 * Assembles profile documents, always within the caller's workspace.
 */
@Service
@Transactional(readOnly = true)
public class ProfileService {

	private final ProfileRepository profiles;

	private final ProfileIdentityRepository identities;

	private final ProfileEventCountRepository eventCounts;

	private final ProfileMergeRepository merges;

	private final JdbcClient jdbc;

	ProfileService(ProfileRepository profiles, ProfileIdentityRepository identities,
			ProfileEventCountRepository eventCounts, ProfileMergeRepository merges, JdbcClient jdbc) {
		this.profiles = profiles;
		this.identities = identities;
		this.eventCounts = eventCounts;
		this.merges = merges;
		this.jdbc = jdbc;
	}

	/**
	 * The profile with this id, or the profile it was merged into (saying so in
	 * {@code mergedFrom}).
	 * @param workspace the caller's workspace
	 * @param profileId the id asked for
	 * @return the document, or empty when no profile has or had this id
	 */
	public Optional<ProfileResponse> byId(Workspace workspace, UUID profileId) {
		Optional<ProfileResponse> profile = this.profiles.findByWorkspaceIdAndProfileId(workspace.id(), profileId)
			.map((found) -> document(workspace, found, null));
		if (profile.isPresent()) {
			return profile;
		}
		return this.merges.findByWorkspaceIdAndMergedProfileId(workspace.id(), profileId)
			.flatMap((merge) -> this.profiles.findByWorkspaceIdAndProfileId(workspace.id(), merge.intoProfileId()))
			.map((survivor) -> document(workspace, survivor, profileId));
	}

	/**
	 * The id of the profile that holds this id's data now: itself, or the profile it was
	 * merged into.
	 * @param workspace the caller's workspace
	 * @param profileId the id asked for
	 * @return the surviving profile's id, or empty when no profile has or had this id
	 */
	public Optional<UUID> resolve(Workspace workspace, UUID profileId) {
		if (this.profiles.findByWorkspaceIdAndProfileId(workspace.id(), profileId).isPresent()) {
			return Optional.of(profileId);
		}
		return this.merges.findByWorkspaceIdAndMergedProfileId(workspace.id(), profileId)
			.map(ProfileMergeEntity::intoProfileId);
	}

	/**
	 * The profile an identifier resolves to.
	 * @param workspace the caller's workspace
	 * @param kind the identifier's kind
	 * @param storedValue the identifier as stored (hashed for emails and phones)
	 * @return the document, or empty when no profile has this identifier
	 */
	public Optional<ProfileResponse> byIdentifier(Workspace workspace, IdentifierKind kind, String storedValue) {
		return this.identities.findProfileId(workspace.id(), kind.code(), storedValue)
			.flatMap((profileId) -> byId(workspace, profileId));
	}

	private ProfileResponse document(Workspace workspace, ProfileEntity profile, UUID mergedFrom) {
		Map<String, Long> byType = new TreeMap<>();
		Map<String, Long> byName = new TreeMap<>();
		for (ProfileEventCountEntity count : this.eventCounts.findByWorkspaceIdAndProfileId(workspace.id(),
				profile.profileId())) {
			byType.merge(count.eventType(), count.eventCount(), Long::sum);
			if ("track".equals(count.eventType())) {
				byName.merge(count.eventName(), count.eventCount(), Long::sum);
			}
		}
		return new ProfileResponse(profile.profileId(), mergedFrom, profile.workspaceId(), profile.userId(),
				this.identities.findByWorkspaceIdAndProfileIdOrderByKindAscValueAsc(workspace.id(), profile.profileId())
					.stream()
					.map((identity) -> new ProfileResponse.IdentityResponse(identity.kind(), identity.value(),
							identity.firstSeenAt(), identity.lastSeenAt()))
					.toList(),
				profile.traits(),
				new ProfileResponse.Computed(profile.firstSeenAt(), profile.lastSeenAt(), profile.eventCount(), byType,
						byName),
				consent(workspace, profile.profileId()), ltv(workspace, profile.profileId()),
				segments(workspace, profile.profileId()), rfm(workspace, profile.profileId()));
	}

	private ProfileResponse.Rfm rfm(Workspace workspace, UUID profileId) {
		return this.jdbc.sql("""
				select r.*, run.computed_at from profile.profile_rfm r join profile.rfm_run run on run.run_id = r.run_id
				 where r.workspace_id = :workspace and r.profile_id = :profile""")
			.param("workspace", workspace.id())
			.param("profile", profileId)
			.query((row, n) -> new ProfileResponse.Rfm(row.getString("tier"), row.getInt("recency_days"),
					row.getInt("frequency"), row.getDouble("monetary"), row.getInt("r_score"), row.getInt("f_score"),
					row.getInt("m_score"), row.getTimestamp("computed_at").toInstant()))
			.optional()
			.orElse(null);
	}

	/**
	 * The segments the profile is a member of: segment-service's tables, read as a
	 * documented contract. Absent (null) where segment-service has not created its schema
	 * yet.
	 */
	private List<ProfileResponse.SegmentMembership> segments(Workspace workspace, UUID profileId) {
		// asked first, so that a missing schema never aborts the surrounding transaction
		Boolean present = this.jdbc.sql("select to_regclass('segment.membership') is not null")
			.query(Boolean.class)
			.single();
		if (!Boolean.TRUE.equals(present)) {
			return null;
		}
		return this.jdbc.sql("""
				select m.segment_id, s.name, m.entered_at from segment.membership m
				  join segment.segment s on s.segment_id = m.segment_id
				 where m.workspace_id = :workspace and m.profile_id = :profile order by s.name""")
			.param("workspace", workspace.id())
			.param("profile", profileId)
			.query((row, n) -> new ProfileResponse.SegmentMembership(row.getObject("segment_id", UUID.class),
					row.getString("name"), row.getTimestamp("entered_at").toInstant()))
			.list();
	}

	private ProfileResponse.Ltv ltv(Workspace workspace, UUID profileId) {
		return this.jdbc.sql("""
				select l.*, m.fitted_at from profile.profile_ltv l join profile.ltv_model m on m.model_id = l.model_id
				 where l.workspace_id = :workspace and l.profile_id = :profile""")
			.param("workspace", workspace.id())
			.param("profile", profileId)
			.query((row, n) -> new ProfileResponse.Ltv(row.getObject("model_id", UUID.class),
					row.getTimestamp("fitted_at").toInstant(), row.getInt("purchases"),
					row.getDouble("probability_alive"), row.getDouble("expected_purchases_30"),
					row.getDouble("expected_purchases_90"), row.getDouble("expected_purchases_365"),
					row.getObject("expected_average_spend", Double.class),
					row.getObject("predicted_spend_365", Double.class)))
			.optional()
			.orElse(null);
	}

	/**
	 * The latest consent decision per purpose of a (surviving) profile.
	 * @param workspace the caller's workspace
	 * @param profileId the profile's id
	 * @return decisions by purpose, in purpose order
	 */
	public Map<String, ProfileResponse.ConsentState> consent(Workspace workspace, UUID profileId) {
		Map<String, ProfileResponse.ConsentState> consent = new TreeMap<>();
		this.jdbc.sql("""
				select purpose, granted, source, recorded_at from profile.profile_consent
				 where workspace_id = :workspace and profile_id = :profile""")
			.param("workspace", workspace.id())
			.param("profile", profileId)
			.query((row, n) -> consent.put(row.getString("purpose"),
					new ProfileResponse.ConsentState(row.getBoolean("granted"), row.getString("source"),
							row.getTimestamp("recorded_at").toInstant())))
			.list();
		return consent;
	}

}
