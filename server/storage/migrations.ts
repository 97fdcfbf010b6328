/**
 * Schema changes in order; each runs once, in its own transaction. Never edit a shipped entry:
 * append a new one.
 *
 * Anonymity is a property of this schema: no table links an idea, ballot or consent response
 * to a participant id (see docs/security.md).
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE workshops (
    workshop_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    join_mode TEXT NOT NULL CHECK (join_mode IN ('open', 'invite')),
    join_code TEXT NOT NULL UNIQUE,
    facilitator_key_hash TEXT NOT NULL,
    created_day TEXT NOT NULL
  );
  CREATE TABLE participants (
    participant_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(workshop_id),
    token_hash TEXT NOT NULL UNIQUE,
    perspective TEXT
  );
  CREATE INDEX participants_by_workshop ON participants(workshop_id);
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id TEXT NOT NULL,
    doc_name TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_by_doc ON doc_updates(workshop_id, doc_name, seq);
  CREATE TABLE doc_snapshots (
    workshop_id TEXT NOT NULL,
    doc_name TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (workshop_id, doc_name)
  );
  `,
]
