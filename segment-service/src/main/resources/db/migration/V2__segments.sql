-- Saved segments, their rule versions, memberships, size history, and the outbox of membership
-- changes waiting to be published to Kafka (cdp.segment.membership).
create table segment (
    segment_id    uuid         primary key,
    workspace_id  varchar(64)  not null,
    name          varchar(200) not null,
    description   text,
    rule          jsonb        not null,
    version       integer      not null,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now(),
    computed_at   timestamptz,
    size          bigint       not null default 0,
    unique (workspace_id, name)
);

create index segment_workspace_ix on segment (workspace_id, updated_at desc);

create table segment_version (
    segment_id  uuid        not null references segment (segment_id) on delete cascade,
    version     integer     not null,
    rule        jsonb       not null,
    created_at  timestamptz not null default now(),
    primary key (segment_id, version)
);

-- profile_id refers to profile.profile (another service's table): no foreign key across owners;
-- a recompute removes members whose profile is gone.
create table membership (
    segment_id    uuid        not null references segment (segment_id) on delete cascade,
    profile_id    uuid        not null,
    workspace_id  varchar(64) not null,
    entered_at    timestamptz not null default now(),
    primary key (segment_id, profile_id)
);

create index membership_profile_ix on membership (workspace_id, profile_id);

create table size_history (
    segment_id   uuid        not null references segment (segment_id) on delete cascade,
    computed_at  timestamptz not null,
    version      integer     not null,
    size         bigint      not null,
    entered      bigint      not null,
    exited       bigint      not null,
    duration_ms  bigint      not null,
    primary key (segment_id, computed_at)
);

create table membership_outbox (
    id            bigserial   primary key,
    workspace_id  varchar(64) not null,
    segment_id    uuid        not null,
    profile_id    uuid        not null,
    change        varchar(8)  not null check (change in ('entered', 'exited')),
    version       integer     not null,
    at            timestamptz not null,
    published_at  timestamptz
);

create index membership_outbox_pending_ix on membership_outbox (id) where published_at is null;
