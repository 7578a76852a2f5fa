-- LTV models fitted per workspace (BG/NBD + Gamma-Gamma), one row per fit, and the latest
-- predictions per profile. Time unit: days.
create table ltv_model (
    model_id          uuid         primary key,
    workspace_id      varchar(64)  not null,
    fitted_at         timestamptz  not null default now(),
    observed_until    timestamptz  not null,
    customers         integer      not null,
    repeat_customers  integer      not null,
    r                 double precision not null,
    alpha             double precision not null,
    a                 double precision not null,
    b                 double precision not null,
    p                 double precision,
    q                 double precision,
    gamma             double precision,
    log_likelihood    double precision not null,
    duration_ms       bigint       not null
);

create index ltv_model_workspace_ix on ltv_model (workspace_id, fitted_at desc);

create table profile_ltv (
    workspace_id            varchar(64)  not null,
    profile_id              uuid         not null,
    model_id                uuid         not null references ltv_model (model_id) on delete cascade,
    purchases               integer      not null,
    probability_alive       double precision not null,
    expected_purchases_30   double precision not null,
    expected_purchases_90   double precision not null,
    expected_purchases_365  double precision not null,
    expected_average_spend  double precision,
    predicted_spend_365     double precision,
    primary key (workspace_id, profile_id),
    foreign key (workspace_id, profile_id) references profile (workspace_id, profile_id) on delete cascade
);

create index profile_ltv_spend_ix on profile_ltv (workspace_id, predicted_spend_365 desc);
