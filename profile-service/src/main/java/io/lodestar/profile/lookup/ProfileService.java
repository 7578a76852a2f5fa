package io.lodestar.profile.lookup;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.lodestar.profile.system.Workspace;

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

	ProfileService(ProfileRepository profiles, ProfileIdentityRepository identities,
			ProfileEventCountRepository eventCounts, ProfileMergeRepository merges) {
		this.profiles = profiles;
		this.identities = identities;
		this.eventCounts = eventCounts;
		this.merges = merges;
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

	public Optional<ProfileResponse> byIdentifier(Workspace workspace, IdentifierKind kind, String value) {
		return this.identities.findProfileId(workspace.id(), kind.column(), value)
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
				profile.traits(), new ProfileResponse.Computed(profile.firstSeenAt(), profile.lastSeenAt(),
						profile.eventCount(), byType, byName));
	}

}
