-- The order the streaming job applied events in, for the identity recompute (docs/adr/0024): each
-- chunk's transaction records its events' position in the chunk and, just before it commits, takes
-- the next sequence number for the chunk — so chunks that waited for one another's locks are ordered
-- as they committed. Events applied before this column existed have none (they came first).
alter table processed_event add column chunk_id uuid, add column chunk_index integer;

create table applied_chunk (
    chunk_id    uuid         primary key,
    seq         bigserial    not null unique,
    applied_at  timestamptz  not null default now()
);
