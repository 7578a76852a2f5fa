-- Recommendation models: a documented contract (recommender-service/README.md, "Tables").
-- etl-service's training job writes a model version with its factors and evaluation metrics as a
-- 'candidate'; recommender-service alone promotes, pins, rolls back and serves versions. The
-- catalogue is upserted from product properties by the training job and completed (availability)
-- through recommender-service's API. profile_id refers to profile.profile (another owner): no
-- foreign key across owners; recommender-service removes rows of profiles that no longer exist.

create table model_version (
    version_id     uuid              primary key,
    workspace_id   varchar(64)       not null,
    trained_at     timestamptz       not null default now(),
    -- candidate (written by training), serving (exactly one per workspace at most),
    -- retired (served before), rejected (did not beat the serving version)
    status         varchar(16)       not null check (status in ('candidate', 'serving', 'retired', 'rejected')),
    -- why recommender-service promoted or rejected it, or who pinned / rolled back
    decision       varchar(500),
    decided_at     timestamptz,
    pinned         boolean           not null default false,
    -- rank, regParam, alpha, maxIter, seed, interaction weights, time-decay half-life …
    params         jsonb             not null,
    -- {"k":10,"testUsers":n,"als":{"precision","recall","ndcg","map","coverage"},"popularity":{…},"itemKnn":{…}}
    metrics        jsonb             not null,
    -- train on interactions before cutoff, test on what each customer did after it
    cutoff         timestamptz,
    interactions   bigint            not null,
    users          integer           not null,
    items          integer           not null,
    duration_ms    bigint            not null
);

create index model_version_workspace_ix on model_version (workspace_id, trained_at desc);
create unique index model_version_serving_uk on model_version (workspace_id) where status = 'serving';

-- The item factors of a version; item_index is ALS's integer id for item_id in that version.
create table model_item (
    version_id     uuid              not null references model_version (version_id) on delete cascade,
    item_index     integer           not null,
    item_id        varchar(255)      not null,
    factors        real[]            not null,
    -- the item's weighted interactions in the training data (popularity fallback, ties)
    popularity     double precision  not null,
    primary key (version_id, item_index),
    unique (version_id, item_id)
);

-- The user factors of a version, with the items each profile had bought by the end of training
-- (excluded from its recommendations; later purchases are added by recommender-service).
create table model_user (
    version_id     uuid              not null references model_version (version_id) on delete cascade,
    workspace_id   varchar(64)       not null,
    profile_id     uuid              not null,
    factors        real[]            not null,
    purchased      text[]            not null default '{}',
    primary key (version_id, profile_id)
);

create index model_user_profile_ix on model_user (workspace_id, profile_id);

-- The catalogue: name, category, brand and price as last seen in product properties (training job),
-- availability set through the API (recommender-service); unknown items are available.
create table item (
    workspace_id   varchar(64)       not null,
    item_id        varchar(255)      not null,
    name           varchar(500),
    category       varchar(255),
    brand          varchar(255),
    price          numeric(18, 4),
    available      boolean           not null default true,
    first_seen_at  timestamptz       not null default now(),
    updated_at     timestamptz       not null default now(),
    primary key (workspace_id, item_id)
);

create index item_category_ix on item (workspace_id, category);
