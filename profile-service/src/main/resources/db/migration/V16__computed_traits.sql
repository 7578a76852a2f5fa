-- Computed traits of a profile, maintained by etl-service in the same transaction as each event's
-- effect (a documented contract: profile-service/README.md, "Tables"; etl-service README,
-- "Computed traits"). Purchases are the configured purchase events (Order Completed by default) valued
-- by revenue, total or value; amounts are summed as sent, whatever their currency. Sessions: track,
-- page and screen events more than 30 minutes apart start a new one (exact whatever order events arrive
-- in). Acquisition: the profile's earliest campaign touch. Days since the last purchase are now minus
-- last_purchase_at, computed when read.
create table profile_computed (
    workspace_id          varchar(64)    not null,
    profile_id            uuid           not null,
    sessions              bigint         not null default 0,
    orders                bigint         not null default 0,
    revenue               numeric(18, 4) not null default 0,
    average_order_value   numeric(18, 4) generated always as
                              (case when orders > 0 then round(revenue / orders, 4) end) stored,
    first_purchase_at     timestamptz,
    last_purchase_at      timestamptz,
    favourite_category    varchar(255),
    favourite_brand       varchar(255),
    acquisition_source    varchar(255),
    acquisition_medium    varchar(255),
    acquisition_campaign  varchar(500),
    acquisition_channel   varchar(32),
    acquired_at           timestamptz,
    updated_at            timestamptz    not null default now(),
    primary key (workspace_id, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index profile_computed_revenue_ix on profile_computed (workspace_id, revenue desc);

-- What a profile bought per product category and brand (the purchases' products[] lines): the
-- favourite is the one with the most units, then revenue, then the latest purchase.
create table profile_affinity (
    workspace_id  varchar(64)    not null,
    profile_id    uuid           not null,
    kind          varchar(16)    not null check (kind in ('category', 'brand')),
    value         varchar(255)   not null,
    quantity      numeric        not null,
    revenue       numeric(18, 4) not null,
    last_at       timestamptz    not null,
    primary key (workspace_id, profile_id, kind, value),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);
