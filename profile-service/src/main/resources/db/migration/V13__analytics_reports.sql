-- Scheduled analytics reports: a saved question (kind, parameters, body), a relative range, a
-- format, a cron schedule and the recipients it is e-mailed to; and every delivery attempt.
create table analytics_report (
    report_id     uuid          primary key,
    workspace_id  varchar(64)   not null,
    name          varchar(200)  not null,
    kind          varchar(32)   not null,
    parameters    jsonb         not null default '{}'::jsonb,
    request       jsonb,
    last_days     integer       not null check (last_days between 1 and 3660),
    -- today: the range ends at the start of today (UTC); data: at the end of the workspace's last day with events
    anchor        varchar(8)    not null check (anchor in ('today', 'data')),
    format        varchar(8)    not null check (format in ('pdf', 'csv')),
    cron          varchar(100)  not null,
    recipients    text[]        not null,
    enabled       boolean       not null default true,
    created_by    varchar(255),
    created_at    timestamptz   not null default now(),
    updated_at    timestamptz   not null default now(),
    next_run_at   timestamptz,
    unique (workspace_id, name)
);

create index analytics_report_due_ix on analytics_report (next_run_at) where enabled;

create table analytics_report_delivery (
    delivery_id   uuid          primary key,
    report_id     uuid          not null references analytics_report (report_id) on delete cascade,
    workspace_id  varchar(64)   not null,
    started_at    timestamptz   not null,
    finished_at   timestamptz   not null,
    trigger       varchar(16)   not null check (trigger in ('schedule', 'manual')),
    status        varchar(16)   not null check (status in ('sent', 'failed')),
    recipients    integer       not null,
    bytes         integer,
    range_from    timestamptz,
    range_to      timestamptz,
    error         varchar(1000)
);

create index analytics_report_delivery_ix on analytics_report_delivery (report_id, started_at desc);
