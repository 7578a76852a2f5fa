-- Marts: a documented contract (profile-service/README.md, "What it owns"), written by etl-service's
-- `marts` job from the lake's clean events (etl-service README "Marts", docs/adr/0027-marts.md). A run
-- over a range of days replaces those days' rows in one transaction, so a rerun never adds and a
-- backfill never touches a day outside its range. Amounts are summed as sent, whatever the currency.

-- Which days of a workspace the marts hold, by which run: a day with no row here was never computed
-- (as opposed to a computed day without sales).
create table mart_day (
    workspace_id  varchar(64) not null,
    day           date        not null,
    run_id        uuid        not null,
    events        bigint      not null,
    computed_at   timestamptz not null default now(),
    primary key (workspace_id, day)
);

-- Per customer and day (UTC). sessions: the sessions that started that day (track/page/screen events
-- more than the session timeout apart, as the computed trait); orders / revenue: purchase events and their
-- value (the computed traits' definition); units: the quantities of their valid products[] lines.
-- Cascaded with the profile (erasure; a merged profile's days are counted on the survivor by the next
-- run covering them).
create table mart_customer_day (
    workspace_id    varchar(64)    not null,
    profile_id      uuid           not null,
    day             date           not null,
    events          bigint         not null,
    tracks          bigint         not null,
    pages           bigint         not null,
    screens         bigint         not null,
    identifies      bigint         not null,
    sessions        bigint         not null,
    orders          bigint         not null,
    revenue         numeric(20, 4) not null,
    units           numeric(20, 4) not null,
    first_event_at  timestamptz    not null,
    last_event_at   timestamptz    not null,
    run_id          uuid           not null,
    primary key (workspace_id, day, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index mart_customer_day_profile_ix on mart_customer_day (workspace_id, profile_id, day);

-- Sales per day from the purchases' products[] lines: revenue = price × quantity (quantity 1 when
-- absent), orders = purchase events with the item, customers = distinct profiles.
create table mart_sales_product_day (
    workspace_id  varchar(64)    not null,
    day           date           not null,
    product_id    varchar(255)   not null,
    name          varchar(500),
    orders        bigint         not null,
    units         numeric(20, 4) not null,
    revenue       numeric(20, 4) not null,
    customers     bigint         not null,
    run_id        uuid           not null,
    primary key (workspace_id, day, product_id)
);

-- category '(none)' for lines without one
create table mart_sales_category_day (
    workspace_id  varchar(64)    not null,
    day           date           not null,
    category      varchar(255)   not null,
    orders        bigint         not null,
    units         numeric(20, 4) not null,
    revenue       numeric(20, 4) not null,
    customers     bigint         not null,
    run_id        uuid           not null,
    primary key (workspace_id, day, category)
);

-- brand '(none)' for lines without one
create table mart_sales_brand_day (
    workspace_id  varchar(64)    not null,
    day           date           not null,
    brand         varchar(255)   not null,
    orders        bigint         not null,
    units         numeric(20, 4) not null,
    revenue       numeric(20, 4) not null,
    customers     bigint         not null,
    run_id        uuid           not null,
    primary key (workspace_id, day, brand)
);
