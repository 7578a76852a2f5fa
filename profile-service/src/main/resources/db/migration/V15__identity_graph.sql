-- The identity graph (etl-service, docs/adr/0024-identity-graph.md; a documented contract:
-- profile-service/README.md, "Tables"). A value that other profiles contested — a second person
-- logged in on the same device, gave the same email — stays with its first profile; once as many
-- other profiles as the kind's max-owners setting contested it, it is shared (shared_at set): it
-- still finds its profile, but no longer merges profiles or fills in another event's profile.
alter table profile_identity add column shared_at timestamptz;

-- Which other profiles contested a value (moved along on a merge, gone with the profile).
create table identity_contender (
    workspace_id   varchar(64)  not null,
    kind           varchar(32)  not null,
    value          varchar(255) not null,
    profile_id     uuid         not null,
    first_seen_at  timestamptz  not null,
    primary key (workspace_id, kind, value, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index identity_contender_profile_ix on identity_contender (workspace_id, profile_id);
