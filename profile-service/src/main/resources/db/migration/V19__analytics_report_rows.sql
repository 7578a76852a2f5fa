-- Rows of the analytics platforms' own reports (connector kind analytics-report-row: GA4 runReport),
-- upserted by etl-service by record id, a documented contract (profile-service/README.md, "Tables";
-- docs/adr/0025). A re-pulled day replaces itself; an older pull never overwrites a newer one.
-- dimensions: the report's dimension values by name (e.g. sessionSourceMedium, eventName);
-- metrics: its metric values by name, as numbers (eventCount, activeUsers, purchaseRevenue …).
create table analytics_report_row (
    workspace_id  varchar(64)  not null,
    record_id     uuid         not null,
    source        varchar(64)  not null,
    connector_id  varchar(64)  not null,
    property_id   varchar(255) not null,
    day           date         not null,
    dimensions    jsonb        not null,
    metrics       jsonb        not null,
    currency      char(3),
    time_zone     varchar(64),
    pulled_at     timestamptz  not null,
    updated_at    timestamptz  not null default now(),
    primary key (workspace_id, record_id)
);

create index analytics_report_row_day_ix on analytics_report_row (workspace_id, source, day);
