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
  `
  -- WITHOUT ROWID and a random primary key: rows are stored in id order, not submission order.
  -- No participant id here: the author is known only by the hash of a key on their device.
  CREATE TABLE ideas (
    idea_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    text TEXT NOT NULL,
    author_key_hash TEXT NOT NULL,
    idempotency_hash TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden', 'merged', 'withdrawn')),
    position INTEGER,
    hidden_reason TEXT,
    merged_into TEXT
  ) WITHOUT ROWID;
  CREATE INDEX ideas_by_section ON ideas(workshop_id, section_id, status);
  -- How many ideas each participant has sent per section, for the per-section limit. Counts only.
  CREATE TABLE idea_quota (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    submitted INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, section_id, participant_id)
  ) WITHOUT ROWID;
  CREATE TABLE moderation_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    action TEXT NOT NULL,
    idea_ids TEXT NOT NULL,
    reason TEXT NOT NULL,
    day TEXT NOT NULL
  );
  -- Server secrets (e.g. the key that derives author keys from idempotency keys).
  CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
  `,
]
