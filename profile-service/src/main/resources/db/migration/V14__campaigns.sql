-- Campaign economics: a documented contract (profile-service/README.md, "Tables"), written by
-- etl-service. campaign_day holds the ad platforms' own numbers per campaign and day, from the
-- connectors' ad-campaign-day records (upserted by record id, so a re-pulled day replaces itself);
-- campaign_touch every event that carried campaign parameters (utm_* in context.campaign or the
-- page URL, and click ids gclid / fbclid …), the input of last-touch attribution.

create table campaign_day (
    workspace_id      varchar(64)    not null,
    record_id         uuid           not null,
    source            varchar(64)    not null,
    account_id        varchar(255)   not null,
    campaign_id       varchar(255)   not null,
    campaign_name     varchar(500),
    day               date           not null,
    currency          char(3)        not null,
    spend             numeric(18, 4) not null,
    impressions       bigint         not null,
    clicks            bigint         not null,
    -- as the platform reports them (its own attribution)
    conversions       numeric(18, 4) not null,
    conversion_value  numeric(18, 4) not null,
    pulled_at         timestamptz    not null,
    updated_at        timestamptz    not null default now(),
    primary key (workspace_id, record_id)
);

create index campaign_day_day_ix on campaign_day (workspace_id, day);

create table campaign_touch (
    workspace_id  varchar(64)   not null,
    event_id      uuid          not null,
    profile_id    uuid          not null,
    occurred_at   timestamptz   not null,
    -- utm_source / utm_medium / utm_campaign / utm_term / utm_content as sent (lower-cased source and medium)
    source        varchar(255),
    medium        varchar(255),
    campaign      varchar(500),
    term          varchar(500),
    content       varchar(500),
    -- gclid, gbraid, wbraid, fbclid, msclkid, ttclid … when the touch came with an ad click id
    click_id_kind varchar(32),
    primary key (workspace_id, event_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index campaign_touch_profile_ix on campaign_touch (workspace_id, profile_id, occurred_at);
