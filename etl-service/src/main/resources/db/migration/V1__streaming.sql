-- etl-service's own tables (schema etl).

-- Every event whose effect has been applied, recorded in the same transaction as the effect:
-- a redelivered or replayed event finds its id here and is skipped (exactly-once effect).
create table processed_event (
    workspace_id  varchar(64) not null,
    event_id      uuid        not null,
    processed_at  timestamptz not null default now(),
    primary key (workspace_id, event_id)
);

-- Messages the pipeline could not use, with the reason; never applied to profiles.
create table rejected_event (
    topic          varchar(255) not null,
    kafka_partition integer     not null,
    kafka_offset   bigint       not null,
    workspace_id   varchar(64),
    reason         text         not null,
    raw_value      text,
    rejected_at    timestamptz  not null default now(),
    primary key (topic, kafka_partition, kafka_offset)
);

create index rejected_event_workspace_ix on rejected_event (workspace_id, rejected_at);
