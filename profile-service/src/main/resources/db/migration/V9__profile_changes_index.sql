-- segment-service re-evaluates the profiles the pipeline changed since its last look
-- (profile.updated_at): this index answers that window without scanning the table.
create index profile_updated_ix on profile (updated_at);
create index profile_merge_at_ix on profile_merge (merged_at);
