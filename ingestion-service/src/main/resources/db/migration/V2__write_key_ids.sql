-- A public id per write key, so keys can be listed and revoked without ever showing the key.
alter table write_key add column key_id uuid not null default gen_random_uuid();
create unique index write_key_key_id_uk on write_key (key_id);
