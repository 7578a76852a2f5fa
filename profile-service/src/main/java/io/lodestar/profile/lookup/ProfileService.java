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

	ProfileService(ProfileRepository profiles, ProfileIdentityRepository identities,
			ProfileEventCountRepository eventCounts) {
		this.profiles = profiles;
		this.identities = identities;
		this.eventCounts = eventCounts;
	}

	public Optional<ProfileResponse> byId(Workspace workspace, UUID profileId) {
		return this.profiles.findByWorkspaceIdAndProfileId(workspace.id(), profileId)
			.map((profile) -> document(workspace, profile));
	}

	public Optional<ProfileResponse> byIdentifier(Workspace workspace, IdentifierKind kind, String value) {
		return this.identities.findProfileId(workspace.id(), kind.column(), value)
			.flatMap((profileId) -> byId(workspace, profileId));
	}

	private ProfileResponse document(Workspace workspace, ProfileEntity profile) {
		Map<String, Long> byType = new TreeMap<>();
		Map<String, Long> byName = new TreeMap<>();
		for (ProfileEventCountEntity count : this.eventCounts.findByWorkspaceIdAndProfileId(workspace.id(),
				profile.profileId())) {
			byType.merge(count.eventType(), count.eventCount(), Long::sum);
			if ("track".equals(count.eventType())) {
				byName.merge(count.eventName(), count.eventCount(), Long::sum);
			}
		}
		return new ProfileResponse(profile.profileId(), profile.workspaceId(), profile.userId(),
				this.identities.findByWorkspaceIdAndProfileIdOrderByKindAscValueAsc(workspace.id(), profile.profileId())
					.stream()
					.map((identity) -> new ProfileResponse.IdentityResponse(identity.kind(), identity.value(),
							identity.firstSeenAt(), identity.lastSeenAt()))
					.toList(),
				profile.traits(), new ProfileResponse.Computed(profile.firstSeenAt(), profile.lastSeenAt(),
						profile.eventCount(), byType, byName));
	}

}
