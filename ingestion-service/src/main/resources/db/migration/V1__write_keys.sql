-- Write keys of event sources (schema ingestion). Only the SHA-256 of a key is stored.
create table write_key (
    key_hash      varchar(64) primary key,
    workspace_id  varchar(64) not null,
    source_id     varchar(64) not null,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz
);

create index write_key_workspace_ix on write_key (workspace_id);
