-- Privacy requests (right of access, right to erasure): asynchronous jobs with a status.
-- profile_id is the pseudonymous id the request was made for; no identifier in the clear is kept,
-- and a completed erasure clears profile_id too.
create table privacy_request (
    request_id      uuid         primary key,
    workspace_id    varchar(64)  not null,
    kind            varchar(16)  not null check (kind in ('access', 'erasure')),
    profile_id      uuid,
    status          varchar(16)  not null check (status in ('pending', 'running', 'completed', 'failed')),
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    requested_at    timestamptz  not null default now(),
    started_at      timestamptz,
    completed_at    timestamptz,
    error           text,
    -- erasure: what was removed (counts only); access: nothing (the export lives below)
    result          jsonb
);

create index privacy_request_due_ix on privacy_request (next_attempt_at) where status in ('pending', 'running');
create index privacy_request_workspace_ix on privacy_request (workspace_id, requested_at desc);

-- The document of a completed access request: personal data, kept only until expires_at.
create table privacy_export (
    request_id  uuid        primary key references privacy_request (request_id) on delete cascade,
    document    jsonb       not null,
    expires_at  timestamptz not null
);

-- Identifiers of erased people, as hashes only (contracts Identifiers.suppressionHash). A documented
-- contract: ingestion-service reads it to drop later events for them at the collector.
create table suppressed_identity (
    id             bigserial   primary key,
    workspace_id   varchar(64) not null,
    kind           varchar(32) not null,
    value_sha256   char(64)    not null,
    request_id     uuid        not null,
    suppressed_at  timestamptz not null default now(),
    unique (workspace_id, kind, value_sha256)
);

-- What was done, by which request, with counts: never an identifier or a trait.
create table privacy_audit (
    audit_id      bigserial    primary key,
    workspace_id  varchar(64)  not null,
    request_id    uuid         not null,
    action        varchar(32)  not null,
    detail        jsonb        not null,
    at            timestamptz  not null default now()
);

create index privacy_audit_workspace_ix on privacy_audit (workspace_id, at desc);
