-- recommender-service owns schema "recommender". Its tables (model versions, metrics, id
-- mappings, recommendation feedback) arrive with the recommender issue; this baseline creates
-- the schema's Flyway history so that those migrations start from a known state.
select 1;
