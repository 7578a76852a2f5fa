-- Consent per purpose, owned and written by profile-service (PUT /v1/profiles/{id}/consent).
-- The latest decision per purpose wins by its recorded_at, whatever the order they arrive in.
create table profile_consent (
    workspace_id  varchar(64) not null,
    profile_id    uuid        not null,
    purpose       varchar(32) not null check (purpose in ('analytics', 'marketing', 'personalisation')),
    granted       boolean     not null,
    source        varchar(64) not null,
    recorded_at   timestamptz not null,
    primary key (workspace_id, profile_id, purpose),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

-- Profile search: list and page by the sortable computed traits, match trait values by
-- containment (jsonb_path_ops GIN answers traits @> '{"k": v}').
create index profile_last_seen_ix on profile (workspace_id, last_seen_at desc, profile_id desc);
create index profile_first_seen_ix on profile (workspace_id, first_seen_at desc, profile_id desc);
create index profile_event_count_ix on profile (workspace_id, event_count desc, profile_id desc);
create index profile_traits_gin on profile using gin (traits jsonb_path_ops);

-- Typed comparisons on trait values that may hold anything: a value that is not a number or a
-- timestamp is null for the comparison (no match), never an error.
create function try_numeric(value text) returns numeric
    language plpgsql immutable parallel safe as $$
begin
    return value::numeric;
exception when others then
    return null;
end $$;

create function try_timestamptz(value text) returns timestamptz
    language plpgsql stable parallel safe as $$
begin
    if value is null or value !~ '^\d{4}-\d{2}-\d{2}' then
        return null;
    end if;
    return value::timestamptz;
exception when others then
    return null;
end $$;
