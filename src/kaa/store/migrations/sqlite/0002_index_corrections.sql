-- kaa case store, SQLite, schema version 2: an index on the events a correction supersedes.
-- Deleting an event (retention) makes the database look for the corrections that name it
-- (the foreign key events.supersedes): without this index, a scan of every event of every
-- case for each event deleted. Every foreign key's column is now the first of an index
-- (tests/store/test_sqlite.py checks it).

CREATE INDEX events_by_supersedes ON events (supersedes);
