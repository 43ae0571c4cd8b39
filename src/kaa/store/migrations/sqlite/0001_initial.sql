-- kaa case store, SQLite, schema version 1: cases made of events, and the audit log.
-- Whole identity numbers are kept in cases.youth and in the events' data (the register);
-- never in the audit log.

CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- One row per case: its index (who, which municipality, open or not) and the fold of its
-- events (state, the canonical JSON of the case), kept up to date by every event recorded.
CREATE TABLE cases (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL UNIQUE,
    municipality TEXT NOT NULL CHECK (length(municipality) = 4),
    youth TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    ended_on TEXT,
    last_event TEXT NOT NULL,
    state TEXT NOT NULL
);

-- At most one open case per youth and municipality.
CREATE UNIQUE INDEX cases_one_open ON cases (municipality, youth) WHERE ended_on IS NULL;
CREATE INDEX cases_by_youth ON cases (municipality, youth);
CREATE INDEX cases_by_municipality ON cases (municipality, seq);

-- Every change to a case, appended; a correction supersedes an earlier event.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases (case_id),
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    supersedes TEXT REFERENCES events (event_id),
    data TEXT NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, seq);

-- The audit log: append-only.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    municipality TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT,
    purpose TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_by_municipality ON audit (municipality, seq);
CREATE INDEX audit_by_case ON audit (case_id);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER events_are_never_changed BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are never changed: record a correction');
END;

-- Events and cases are deleted only by retention, after its audit entry is written.
CREATE TRIGGER events_deleted_only_by_retention BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM audit WHERE action = 'delete' AND case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'events are deleted only by retention (gallring), with an audit entry');
END;

CREATE TRIGGER cases_deleted_only_by_retention BEFORE DELETE ON cases
WHEN NOT EXISTS (SELECT 1 FROM audit WHERE action = 'delete' AND case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'cases are deleted only by retention (gallring), with an audit entry');
END;
