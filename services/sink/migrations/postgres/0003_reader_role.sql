-- A role that can only read, for the HTTP API. Creating roles needs CREATEROLE; without it
-- this migration only grants to the role when an administrator has created it already
-- (see docs/storage.md), so the sink's own role never needs more than it has.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'newsdesk_reader') THEN
        BEGIN
            CREATE ROLE newsdesk_reader NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot create role newsdesk_reader; ask an administrator (docs/storage.md)';
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'newsdesk_reader') THEN
        BEGIN
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO newsdesk_reader', current_database());
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot grant CONNECT to newsdesk_reader';
        END;
        GRANT USAGE ON SCHEMA public TO newsdesk_reader;
        GRANT SELECT ON events, event_versions, articles, entities, event_entities, quotes
            TO newsdesk_reader;
    END IF;
END
$$;
