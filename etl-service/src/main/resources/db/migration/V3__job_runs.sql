-- The batch jobs' scheduler (docs/adr/0020-job-scheduler.md): every run of a job for a workspace,
-- its history, and the next cron slot of each job.

create table job_run (
    run_id         uuid             primary key,
    job            varchar(64)      not null,
    workspace_id   varchar(64)      not null,
    -- what started it: its cron schedule, a caller of the API, or the retry of a failed attempt
    trigger        varchar(16)      not null check (trigger in ('schedule', 'manual', 'retry')),
    status         varchar(16)      not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    -- 1 for the first attempt; a retry is a new run with attempt + 1 and retry_of the failed one
    attempt        integer          not null default 1 check (attempt >= 1),
    retry_of       uuid             references job_run (run_id) on delete set null,
    -- the job's parameters and the backfill date range (inclusive), where the job supports one
    parameters     jsonb            not null default '{}'::jsonb,
    date_from      date,
    date_to        date,
    -- the cron slot a scheduled run was started for (one run per slot and workspace)
    scheduled_for  timestamptz,
    queued_at      timestamptz      not null,
    -- a retry waits for its backoff
    not_before     timestamptz      not null,
    started_at     timestamptz,
    finished_at    timestamptz,
    duration_ms    bigint,
    rows_in        bigint,
    rows_out       bigint,
    -- while running: 0..1 and the step the job is in
    progress       double precision,
    progress_step  varchar(200),
    -- invalid-data (the data cannot give a result; not retried), job-error, abandoned, locked
    error_type     varchar(32),
    error          text,
    -- the job's summary of a successful run (e.g. the model version written)
    result         jsonb,
    -- the service instance that runs it, and when that instance last said it is alive
    instance_id    varchar(128),
    heartbeat_at   timestamptz
);

-- one queued or running run per job and workspace, across every instance
create unique index job_run_active_uk on job_run (job, workspace_id) where status in ('queued', 'running');
-- a cron slot starts each workspace's run once, whichever instance claims it
create unique index job_run_slot_uk on job_run (job, workspace_id, scheduled_for) where trigger = 'schedule';
-- the run history, newest first, keyset paging on (queued_at, run_id)
create index job_run_history_ix on job_run (workspace_id, job, queued_at desc, run_id desc);
create index job_run_retry_of_ix on job_run (retry_of);
create index job_run_pending_ix on job_run (instance_id, not_before) where status = 'queued';

-- The next cron slot of each job; the instance that moves it on (compare and set) starts the slot's runs.
create table job_schedule (
    job           varchar(64)   primary key,
    cron          varchar(100)  not null,
    zone          varchar(64)   not null,
    next_fire_at  timestamptz   not null
);
