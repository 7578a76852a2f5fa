-- Pull connectors (ADR 0016): one row per configured source of a workspace, its runs, and the
-- files a file-drop connector has already imported.
create table connector (
    id                uuid primary key,
    workspace_id      varchar(64)  not null,
    kind              varchar(40)  not null,
    name              varchar(200) not null,
    -- AES-256-GCM sealed JSON of the secrets, the connector id as associated data; never returned
    credentials       bytea        not null,
    -- non-secret settings (account id, shop domain, folder, column mapping …)
    settings          json         not null default '{}'::json,
    schedule          varchar(120) not null,
    status            varchar(16)  not null check (status in ('active', 'paused')),
    paused_reason     varchar(500),
    -- set for a daily-quota pause: the scheduler resumes the connector then; null for a user's pause
    paused_until      timestamptz,
    -- the source's high-water mark (a date or an instant, as the kind reads it); moved only after Kafka acked
    watermark         text,
    next_run_at       timestamptz,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now(),
    constraint connector_name_uk unique (workspace_id, name)
);

create index connector_workspace_ix on connector (workspace_id, created_at);
create index connector_due_ix on connector (next_run_at) where status = 'active';

create table connector_run (
    id                uuid primary key,
    connector_id      uuid         not null references connector (id) on delete cascade,
    workspace_id      varchar(64)  not null,
    trigger           varchar(16)  not null check (trigger in ('schedule', 'manual')),
    status            varchar(16)  not null check (status in ('queued', 'running', 'succeeded', 'failed', 'paused')),
    requested_at      timestamptz  not null default now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    rows_published    bigint       not null default 0,
    rows_rejected     bigint       not null default 0,
    pages             integer      not null default 0,
    retries           integer      not null default 0,
    watermark_before  text,
    watermark_after   text,
    error             varchar(2000),
    next_run_at       timestamptz
);

create index connector_run_history_ix on connector_run (connector_id, requested_at desc);
create unique index connector_run_one_queued_uk on connector_run (connector_id) where status = 'queued';

-- Objects a file drop imported, by key and ETag (or, on a local folder, size and modification time):
-- a new version of a key is imported again, the same version never twice.
create table processed_file (
    connector_id      uuid          not null references connector (id) on delete cascade,
    object_key        varchar(1024) not null,
    etag              varchar(200)  not null,
    size_bytes        bigint        not null,
    rows_published    bigint        not null,
    rows_rejected     bigint        not null,
    -- set when the whole object could not be read (wrong header, not UTF-8 …); it is not retried
    error             varchar(2000),
    run_id            uuid          not null,
    processed_at      timestamptz   not null default now(),
    primary key (connector_id, object_key, etag)
);
