-- recommender-service's own tables. V2 is the contract with etl-service's training job and stays
-- as it is; everything the serving side needs beyond it lives here. Every row carries workspace_id.

-- Per-workspace choices; a workspace without a row takes the service's defaults
-- (lodestar.recommender.promotion-policy, repeatable-categories). null = the default.
create table workspace_settings (
    workspace_id           varchar(64)  primary key,
    promotion_policy       varchar(16)  check (promotion_policy in ('if-better', 'always', 'manual')),
    -- categories whose items may be recommended again after a purchase (consumables)
    repeatable_categories  text[],
    updated_at             timestamptz  not null default now()
);

-- Every stint of a version as the serving one, oldest first: rollback walks back through it.
create table serving_history (
    id            bigserial    primary key,
    workspace_id  varchar(64)  not null,
    version_id    uuid         not null references model_version (version_id) on delete cascade,
    started_at    timestamptz  not null default now(),
    -- promotion (policy), promote (API), pin (API), rollback (API)
    started_by    varchar(16)  not null,
    reason        varchar(500) not null,
    ended_at      timestamptz,
    ended_by      varchar(16)
);

create index serving_history_workspace_ix on serving_history (workspace_id, id desc);

-- Catalogue values set through the API. The training job upserts recommender.item from product
-- properties; an override here wins over what it writes, until cleared (null).
create table item_override (
    workspace_id  varchar(64)    not null,
    item_id       varchar(255)   not null,
    name          varchar(500),
    category      varchar(255),
    brand         varchar(255),
    price         numeric(18, 4),
    updated_at    timestamptz    not null default now(),
    primary key (workspace_id, item_id)
);

-- Every answer of the API: the feedback loop joins impression, click and purchase events to it.
-- profile_id is null for similar-item answers (anchor_item_id is the item asked about); version_id
-- is null when no model served (popularity). items and reasons are in position order (1-based).
create table recommendation_log (
    recommendation_id  uuid          primary key,
    workspace_id       varchar(64)   not null,
    profile_id         uuid,
    anchor_item_id     varchar(255),
    version_id         uuid,
    items              text[]        not null,
    reasons            text[]        not null,
    served_at          timestamptz   not null
);

create index recommendation_log_version_ix on recommendation_log (workspace_id, version_id, served_at);
create index recommendation_log_profile_ix on recommendation_log (workspace_id, profile_id) where profile_id is not null;

-- The profiles this schema holds rows of (answers logged for them), one row each: the erasure
-- sweep compares this small table, not the log, with profile.profile.
create table served_profile (
    workspace_id     varchar(64)  not null,
    profile_id       uuid         not null,
    first_served_at  timestamptz  not null default now(),
    primary key (workspace_id, profile_id)
);
