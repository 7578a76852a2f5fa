-- Profiles, owned by profile-service and written by etl-service (a documented contract:
-- profile-service/README.md, "Tables"). Every row carries workspace_id; nothing is read without it.

create table profile (
    workspace_id   varchar(64)  not null,
    profile_id     uuid         not null,
    -- a profile holds at most one userId
    user_id        varchar(255),
    traits         jsonb        not null default '{}'::jsonb,
    first_seen_at  timestamptz  not null,
    last_seen_at   timestamptz  not null,
    event_count    bigint       not null default 0,
    created_at     timestamptz  not null default now(),
    updated_at     timestamptz  not null default now(),
    primary key (workspace_id, profile_id)
);

create unique index profile_user_id_uk on profile (workspace_id, user_id) where user_id is not null;

-- Every identifier that resolves to a profile: kind is user_id or anonymous_id today
-- (email_sha256, phone_sha256, device_id … arrive with identity resolution).
create table profile_identity (
    workspace_id   varchar(64)  not null,
    kind           varchar(32)  not null,
    value          varchar(255) not null,
    profile_id     uuid         not null,
    first_seen_at  timestamptz  not null,
    last_seen_at   timestamptz  not null,
    primary key (workspace_id, kind, value),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index profile_identity_profile_ix on profile_identity (workspace_id, profile_id);

-- Event counts per profile by event type and, for track events, by event name ('' otherwise).
create table profile_event_count (
    workspace_id   varchar(64)  not null,
    profile_id     uuid         not null,
    event_type     varchar(32)  not null,
    event_name     varchar(200) not null default '',
    event_count    bigint       not null,
    first_at       timestamptz  not null,
    last_at        timestamptz  not null,
    primary key (workspace_id, profile_id, event_type, event_name),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);
