-- kaa case store, PostgreSQL, schema version 1: cases made of events, and the audit log.
-- The same logical schema as migrations/sqlite/0001_initial.sql, in PostgreSQL's types.
-- Whole identity numbers are kept in cases.youth and in the events' data (the register);
-- never in the audit log. The whole file runs in one transaction (DDL is transactional).

CREATE TABLE schema_version (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL
);

-- One row per case: its index (who, which municipality, open or not) and the fold of its
-- events (state, the canonical JSON of the case), kept up to date by every event recorded.
CREATE TABLE cases (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id text NOT NULL UNIQUE,
    municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
    youth text NOT NULL,
    registered_on date NOT NULL,
    ended_on date,
    last_event text NOT NULL,
    state text NOT NULL
);

-- At most one open case per youth and municipality (a partial unique index: the database
-- itself refuses a second open case, whichever process registers it).
CREATE UNIQUE INDEX cases_one_open ON cases (municipality, youth) WHERE ended_on IS NULL;
CREATE INDEX cases_by_youth ON cases (municipality, youth);
CREATE INDEX cases_by_municipality ON cases (municipality, seq);

-- Every change to a case, appended; a correction supersedes an earlier event.
CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL UNIQUE,
    case_id text NOT NULL REFERENCES cases (case_id),
    kind text NOT NULL,
    day date NOT NULL,
    recorded_at timestamptz NOT NULL,
    actor text NOT NULL,
    supersedes text REFERENCES events (event_id),
    data text NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, seq);

-- The audit log: append-only.
CREATE TABLE audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    municipality text NOT NULL,
    action text NOT NULL,
    case_id text,
    purpose text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX audit_by_municipality ON audit (municipality, seq);
CREATE INDEX audit_by_case ON audit (case_id);

-- The database itself refuses any change to the audit log or to an event, whoever asks:
-- statement-level triggers fire even when the statement would touch no row, so the statement
-- itself is refused. (A role that may ALTER the tables can still drop a trigger: run kaa as a
-- role that does not own the schema.)
CREATE FUNCTION kaa_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER audit_is_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION kaa_refuse('the audit log is append-only');

CREATE TRIGGER events_are_never_changed
    BEFORE UPDATE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION kaa_refuse('events are never changed: record a correction');

CREATE TRIGGER cases_are_deleted_one_by_one
    BEFORE TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION kaa_refuse('cases are deleted only by retention (gallring)');

-- Events and cases are deleted only by retention, after its audit entry is written.
CREATE FUNCTION kaa_deleted_only_by_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit WHERE action = 'delete' AND case_id = OLD.case_id) THEN
        RAISE EXCEPTION USING
            MESSAGE = TG_TABLE_NAME || ' are deleted only by retention (gallring), with an audit entry',
            ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER events_deleted_only_by_retention
    BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION kaa_deleted_only_by_retention();

CREATE TRIGGER cases_deleted_only_by_retention
    BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION kaa_deleted_only_by_retention();
