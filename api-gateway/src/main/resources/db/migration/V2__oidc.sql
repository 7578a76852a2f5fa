-- Sign-in through an OpenID Connect provider (optional, by configuration): the provider's
-- subject linked to a Lodestar user, the logins in flight (state, nonce and PKCE verifier, single
-- use, minutes), and the one-time codes that hand a finished sign-in to the dashboard (hashed,
-- single use, a minute).
create table oidc_identity (
    issuer      text not null,
    subject     text not null,
    user_id     uuid not null references app_user (id) on delete cascade,
    created_at  timestamptz not null default now(),
    primary key (issuer, subject)
);

create table oidc_login (
    state          text primary key,
    nonce          text not null,
    code_verifier  text not null,
    redirect       text not null,
    expires_at     timestamptz not null
);

create table oidc_handoff (
    code_hash   text primary key,
    user_id     uuid not null references app_user (id) on delete cascade,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
