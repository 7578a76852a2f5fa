-- The recent event timeline of each profile, written by etl-service in the same transaction as
-- the event's effect (older events will be read from the lake behind the same API).
create table profile_event (
    workspace_id  varchar(64)  not null,
    event_id      uuid         not null,
    profile_id    uuid         not null,
    event_type    varchar(32)  not null,
    event_name    varchar(200) not null default '',
    occurred_at   timestamptz  not null,
    properties    jsonb,
    primary key (workspace_id, event_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

-- newest first, keyset paging on (occurred_at, event_id)
create index profile_event_timeline_ix on profile_event (workspace_id, profile_id, occurred_at desc, event_id desc);
