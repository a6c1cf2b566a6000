-- Least-privilege roles for running budget-server for real. Run once as a superuser (psql -f),
-- before `budgetctl migrate`, then set the passwords out of band (\password budget_server).
--
--   budget_owner   owns the schema; `budgetctl migrate` connects as it. Never used by the server.
--   budget_app     the privileges the server and budgetctl need at run time (granted by the
--                  migrations): read/write entries, append-only on the audit log.
--   budget_server  the login the server and budgetctl use; member of budget_app only.
--
-- budget_app does not own the tables, so it cannot disable the audit log's append-only triggers,
-- and it has no UPDATE, DELETE or TRUNCATE on audit_events. It records audit checkpoints only
-- through audit_record_checkpoint (migration 0010), signed with the key in BUDGET_AUDIT_KEY_FILE,
-- which also signs every event it appends (0012): it cannot append one that verify accepts.

CREATE ROLE budget_owner LOGIN;
CREATE ROLE budget_app NOLOGIN;
CREATE ROLE budget_server LOGIN IN ROLE budget_app;
CREATE DATABASE budget OWNER budget_owner ENCODING 'UTF8' TEMPLATE template0;
\connect budget
ALTER SCHEMA public OWNER TO budget_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO budget_app;
