-- Who may call the API (schema gateway, owned by api-gateway): users with their role per
-- workspace, refresh tokens, API keys for machine clients, and the audit log. Secrets are
-- stored only as hashes: passwords bcrypt, refresh tokens and API keys SHA-256 (random,
-- 256-bit secrets need no slow hash).

create table app_user (
    id            uuid primary key,
    username      text not null unique check (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    password_hash text not null,
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz
);

create table membership (
    user_id      uuid not null references app_user (id) on delete cascade,
    workspace_id text not null,
    role         text not null check (role in ('admin', 'marketer', 'analyst', 'viewer')),
    granted_at   timestamptz not null default now(),
    primary key (user_id, workspace_id)
);

create index membership_workspace on membership (workspace_id);

-- One family per login: refreshing replaces the token with a new one of the same family;
-- presenting a replaced token again revokes the whole family (a stolen token was used).
create table refresh_token (
    token_hash  text primary key,
    user_id     uuid not null references app_user (id) on delete cascade,
    family      uuid not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    replaced_at timestamptz,
    revoked_at  timestamptz
);

create index refresh_token_family on refresh_token (family);

create table api_key (
    id           uuid primary key,
    workspace_id text not null,
    name         text not null,
    prefix       text not null,
    key_hash     text not null unique,
    permissions  text[] not null,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

create index api_key_workspace on api_key (workspace_id);

-- Every change made through the gateway: who (actor ids, never names or personal data),
-- what (method and path without query), when, from where, with which outcome.
create table audit_entry (
    id           bigserial primary key,
    at           timestamptz not null default now(),
    workspace_id text,
    actor        text not null,
    method       text not null,
    path         text not null,
    status       int not null,
    client_ip    text,
    request_id   text
);

create index audit_entry_workspace_at on audit_entry (workspace_id, at desc, id desc);
