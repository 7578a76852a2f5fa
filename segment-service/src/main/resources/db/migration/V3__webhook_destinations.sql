-- Webhook destinations: each syncs one segment's entries and exits to an HTTP endpoint in
-- signed batches. Changes are queued per destination by a trigger in the same transaction
-- that writes the membership outbox, so a change is queued exactly when it is committed; the
-- dispatcher deletes what the endpoint acknowledged. A paused destination keeps queueing and
-- delivers the backlog when resumed. Every attempt is kept in the delivery log.
create table destination (
    destination_id       uuid         primary key,
    workspace_id         varchar(64)  not null,
    segment_id           uuid         not null references segment (segment_id) on delete cascade,
    name                 varchar(200) not null,
    url                  text         not null,
    signing_secret       text         not null,
    batch_size           integer      not null default 100 check (batch_size between 1 and 1000),
    enabled              boolean      not null default true,
    created_at           timestamptz  not null default now(),
    consecutive_failures integer      not null default 0,
    next_attempt_at      timestamptz  not null default now(),
    last_delivered_at    timestamptz
);

create index destination_workspace_ix on destination (workspace_id, created_at desc);
create index destination_segment_ix on destination (segment_id);

create table destination_queue (
    id              bigserial   primary key,
    destination_id  uuid        not null references destination (destination_id) on delete cascade,
    workspace_id    varchar(64) not null,
    segment_id      uuid        not null,
    profile_id      uuid        not null,
    change          varchar(8)  not null check (change in ('entered', 'exited')),
    at              timestamptz not null
);

create index destination_queue_ix on destination_queue (destination_id, id);

create table delivery (
    delivery_id     uuid        primary key,
    destination_id  uuid        not null references destination (destination_id) on delete cascade,
    attempted_at    timestamptz not null,
    attempt         integer     not null,
    changes         integer     not null,
    skipped         integer     not null,
    outcome         varchar(16) not null check (outcome in ('delivered', 'failed')),
    http_status     integer,
    error           text,
    duration_ms     bigint      not null,
    retry_at        timestamptz
);

create index delivery_destination_ix on delivery (destination_id, attempted_at desc);

create function enqueue_for_destinations() returns trigger language plpgsql as $$
begin
    insert into segment.destination_queue (destination_id, workspace_id, segment_id, profile_id, change, at)
    select d.destination_id, i.workspace_id, i.segment_id, i.profile_id, i.change, i.at
      from inserted i
      join segment.destination d on d.segment_id = i.segment_id
     order by i.id;
    return null;
end;
$$;

create trigger membership_outbox_to_destinations
    after insert on membership_outbox
    referencing new table as inserted
    for each statement execute function enqueue_for_destinations();
