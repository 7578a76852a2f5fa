package io.lodestar.profile.lookup;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.lodestar.contracts.identity.IdentifierKind;

import io.lodestar.web.Workspace;

/**
 * Assembles profile documents, always within the caller's workspace. No transaction
 * around a lookup: the document is one statement (autocommit: one round trip, where a
 * read-only transaction added a second for its commit, and a JPA session), and each
 * fallback — a merged id followed, an identifier resolved — is one more statement that
 * stands on its own (a merge between two of them only means the survivor is read).
 */
@Service
public class ProfileService {

	private final ProfileRepository profiles;

	private final ProfileIdentityRepository identities;

	private final ProfileMergeRepository merges;

	private final JdbcClient jdbc;

	private final ProfileDocuments documents;

	ProfileService(ProfileRepository profiles, ProfileIdentityRepository identities, ProfileMergeRepository merges,
			JdbcClient jdbc, ProfileDocuments documents) {
		this.profiles = profiles;
		this.identities = identities;
		this.merges = merges;
		this.jdbc = jdbc;
		this.documents = documents;
	}

	/**
	 * The profile with this id, or the profile it was merged into (saying so in
	 * {@code mergedFrom}).
	 * @param workspace the caller's workspace
	 * @param profileId the id asked for
	 * @return the document, or empty when no profile has or had this id
	 */
	public Optional<ProfileResponse> byId(Workspace workspace, UUID profileId) {
		Optional<ProfileResponse> profile = this.documents.find(workspace.id(), profileId, null);
		if (profile.isPresent()) {
			return profile;
		}
		return this.merges.findByWorkspaceIdAndMergedProfileId(workspace.id(), profileId)
			.flatMap((merge) -> this.documents.find(workspace.id(), merge.intoProfileId(), profileId));
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
