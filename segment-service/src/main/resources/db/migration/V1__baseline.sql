-- segment-service owns schema "segment". Its tables (segments, rule versions, memberships, size
-- history, deliveries) arrive with the segments issue; this baseline creates the schema's
-- Flyway history so that those migrations start from a known state.
select 1;
