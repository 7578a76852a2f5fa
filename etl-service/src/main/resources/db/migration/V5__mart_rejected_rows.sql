-- What the marts job could not use, with the reason (etl-service README "Marts"): a purchase whose
-- amount is not a number, a products[] line without an id or with a bad price or quantity, a kiosk
-- visit without a numeric dwell time, an event without a profile. Replaced with the day's marts by a
-- rerun, so it always describes the rows the marts hold.
create table mart_rejected_row (
    workspace_id  varchar(64)  not null,
    day           date         not null,
    event_id      varchar(64)  not null,
    -- the products[] line's index, -1 for the event itself
    line          integer      not null,
    mart          varchar(32)  not null,
    reason        varchar(64)  not null,
    -- the offending value, at most 200 characters (never a whole payload)
    value         varchar(200),
    run_id        uuid         not null,
    rejected_at   timestamptz  not null default now(),
    primary key (workspace_id, day, event_id, line, mart, reason)
);
