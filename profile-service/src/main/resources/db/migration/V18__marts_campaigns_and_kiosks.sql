-- Campaign and kiosk marts: a documented contract (profile-service/README.md), written by etl-service's
-- `marts` job (see V17 for the replace-by-day rule).

-- Per day, channel and campaign: the ad platforms' numbers (campaign_day) next to last-touch
-- attribution (campaign_touch) with CampaignService's definitions: a purchase goes to the profile's
-- latest touch within the look-back window before it; a customer is acquired on the day of their first
-- purchase ever, by the last touch before it. Channel: google-ads, meta, microsoft-ads, tiktok, or the
-- touch's lower-cased source; campaign: the lower-cased utm_campaign / ad campaign name ('(none)').
create table mart_campaign_day (
    workspace_id          varchar(64)    not null,
    day                   date           not null,
    channel               varchar(255)   not null,
    campaign              varchar(500)   not null,
    campaign_name         varchar(500),
    currency              varchar(8),
    spend                 numeric(20, 4),
    impressions           bigint,
    clicks                bigint,
    platform_conversions  numeric(20, 4),
    platform_value        numeric(20, 4),
    orders                bigint         not null,
    revenue               numeric(20, 4) not null,
    customers_acquired    bigint         not null,
    lookback_days         integer        not null,
    roas                  numeric generated always as (case when spend > 0 then revenue / spend end) stored,
    cac                   numeric generated always as (case when spend > 0 and customers_acquired > 0
                                                            then spend / customers_acquired end) stored,
    run_id                uuid           not null,
    primary key (workspace_id, day, channel, campaign)
);

-- Per day, zone and screen: the kiosk screens' track events (KioskService's definitions): impressions
-- (Promotion Viewed), clicks (Promotion Clicked), visits (Zone Dwell) and their dwell_seconds;
-- '(none)' for a missing zone or screen.
create table mart_kiosk_day (
    workspace_id   varchar(64)    not null,
    day            date           not null,
    zone           varchar(255)   not null,
    screen         varchar(255)   not null,
    impressions    bigint         not null,
    clicks         bigint         not null,
    visits         bigint         not null,
    dwell_seconds  numeric(20, 4) not null,
    visitors       bigint         not null,
    run_id         uuid           not null,
    primary key (workspace_id, day, zone, screen)
);
