-- Merge history: a profile that was merged into another (e.g. an anonymous visitor's profile
-- into the person's once they identify). Written by etl-service in the same transaction as the
-- merge; lookups of a merged-away profile id answer with the surviving profile.
create table profile_merge (
    workspace_id       varchar(64) not null,
    merged_profile_id  uuid        not null,
    into_profile_id    uuid        not null,
    reason             varchar(64) not null,
    merged_at          timestamptz not null default now(),
    primary key (workspace_id, merged_profile_id)
);

create index profile_merge_into_ix on profile_merge (workspace_id, into_profile_id);
