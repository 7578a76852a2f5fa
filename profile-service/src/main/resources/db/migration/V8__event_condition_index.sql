-- Segment event conditions ("performed Order Completed at least twice in the last 30 days") select
-- profiles by event name and time within a workspace: this index answers them without touching
-- the table (profile_id and event_type are included).
create index profile_event_name_ix on profile_event (workspace_id, event_name, occurred_at) include (profile_id, event_type);
