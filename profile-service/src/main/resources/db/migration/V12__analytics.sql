-- Analytics (funnels, paths, retention, KPIs, sales, kiosk) sum and compare event properties over
-- large scans, which PostgreSQL runs in parallel: try_numeric (V11) is parallel unsafe, so the
-- analytics use this cast instead — a pattern check, no exception block, parallel safe.
create function number_or_null(value text) returns numeric
    language sql immutable parallel safe as $$
    select case when value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' then value::numeric end
$$;

-- Funnel steps after the first one look up "this profile's first <event> after t": an index on
-- (profile, name, time) answers each lookup with one probe, whatever the profile's history.
create index profile_event_profile_name_ix on profile_event (workspace_id, profile_id, event_name, occurred_at);
