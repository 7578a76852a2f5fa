-- RFM value tiers, written by etl-service's RFM job (a documented contract), read by the profile
-- document, segments (rfm.tier) and the dashboard. One row per run, the latest scores per profile,
-- and every profile's tier per run for movement between runs.
create table rfm_run (
    run_id          uuid         primary key,
    workspace_id    varchar(64)  not null,
    computed_at     timestamptz  not null default now(),
    customers       bigint       not null,
    k               integer      not null,
    silhouette      double precision not null,
    silhouettes     jsonb        not null,
    tiers           jsonb        not null,
    duration_ms     bigint       not null
);

create index rfm_run_workspace_ix on rfm_run (workspace_id, computed_at desc);

create table profile_rfm (
    workspace_id  varchar(64)  not null,
    profile_id    uuid         not null,
    run_id        uuid         not null references rfm_run (run_id) on delete cascade,
    recency_days  integer      not null,
    frequency     integer      not null,
    monetary      numeric      not null,
    r_score       smallint     not null,
    f_score       smallint     not null,
    m_score       smallint     not null,
    tier          varchar(64)  not null,
    primary key (workspace_id, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index profile_rfm_tier_ix on profile_rfm (workspace_id, tier);

create table profile_rfm_history (
    run_id        uuid         not null references rfm_run (run_id) on delete cascade,
    workspace_id  varchar(64)  not null,
    profile_id    uuid         not null,
    tier          varchar(64)  not null,
    primary key (run_id, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);
