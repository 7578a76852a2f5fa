-- Valid events the pipeline keeps out of profiles on purpose (test traffic, bots, impossible
-- rates), with the rule that fired. Kept, not dropped, so a rule can be reviewed and replayed.
create table quarantined_event (
    topic           varchar(255) not null,
    kafka_partition integer      not null,
    kafka_offset    bigint       not null,
    workspace_id    varchar(64)  not null,
    event_id        uuid         not null,
    rule            varchar(64)  not null,
    quarantined_at  timestamptz  not null default now(),
    primary key (topic, kafka_partition, kafka_offset)
);

create index quarantined_event_workspace_ix on quarantined_event (workspace_id, rule, quarantined_at);
