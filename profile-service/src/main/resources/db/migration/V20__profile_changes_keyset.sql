-- segment-service pages through the profiles changed since its last look in
-- (updated_at, profile_id) order: a chunk's profiles share one now(), so the time alone
-- does not order them. The two-column index answers the keyset and the time window.
create index profile_updated_id_ix on profile (updated_at, profile_id);
drop index profile_updated_ix;
