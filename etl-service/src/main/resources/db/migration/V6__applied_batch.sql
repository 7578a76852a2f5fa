-- The micro-batch that applied each chunk (docs/adr/0031): "<streaming query id>:<batch id>". The lake
-- appends exactly the events a batch applied first, and a replayed batch finds its own key again; chunks
-- applied before this column existed have none (their events go to the lake by a merge on event id).
alter table applied_chunk add column batch text;
