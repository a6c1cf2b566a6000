-- Every change of a user or a bearer token (a revocation, an expiry, a role) is told on the
-- budget_auth channel when it commits, so servers flush their caches of authenticated tokens at once.
CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('budget_auth', TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TRIGGER users_auth_change AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
CREATE TRIGGER api_tokens_auth_change AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
