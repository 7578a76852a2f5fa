-- try_numeric / try_timestamptz catch cast errors with an exception block, which starts a
-- subtransaction. PostgreSQL allows no subtransaction while a query runs in parallel mode — in the
-- workers or the leader ("cannot start subtransactions during a parallel operation"), which large scans
-- such as an LTV fit on a real workspace choose. They must be parallel unsafe (PostgreSQL's default,
-- which V5 overrode).
alter function try_numeric(text) parallel unsafe;
alter function try_timestamptz(text) parallel unsafe;
