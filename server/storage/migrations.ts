/**
 * Schema changes in order; each runs once, in its own transaction, on SQLite and on PostgreSQL.
 * Never edit a shipped entry: append a new one.
 *
 * Anonymity is a property of this schema: no table links an idea, ballot or consent response
 * to a participant id (see docs/security.md).
 */
/**
 * One script for both engines (PostgreSQL gets it through `translateSchema`), or one text per
 * engine where they must differ.
 */
export type Migration = string | { sqlite: string; postgres: string }

export const migrations: readonly Migration[] = [
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
  `
  ALTER TABLE ideas ADD COLUMN kind TEXT NOT NULL DEFAULT 'idea' CHECK (kind IN ('idea', 'suggestion'));
  ALTER TABLE workshops ADD COLUMN support_contacts TEXT NOT NULL DEFAULT '';
  ALTER TABLE workshops ADD COLUMN content_note TEXT NOT NULL DEFAULT '';
  CREATE TABLE invite_codes (
    workshop_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workshop_id, code_hash)
  ) WITHOUT ROWID;
  -- One row per vote round; settings are fixed when the round opens.
  CREATE TABLE vote_rounds (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    budget INTEGER NOT NULL,
    max_per_idea INTEGER NOT NULL,
    live_tallies INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    voter_count INTEGER,
    PRIMARY KEY (workshop_id, section_id, round)
  ) WITHOUT ROWID;
  -- Ballots exist only while a round is open. Closing computes tallies and deletes these rows
  -- (secure_delete zeroes them on disk); afterwards only the voter roll and the tallies remain.
  CREATE TABLE ballots (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    idea_id TEXT NOT NULL,
    dots INTEGER NOT NULL CHECK (dots > 0),
    PRIMARY KEY (workshop_id, section_id, participant_id, idea_id)
  ) WITHOUT ROWID;
  CREATE TABLE voter_roll (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (workshop_id, section_id, round, participant_id)
  ) WITHOUT ROWID;
  CREATE TABLE tallies (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    idea_id TEXT NOT NULL,
    dots INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, section_id, round, idea_id)
  ) WITHOUT ROWID;
  CREATE TABLE proposals (
    proposal_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    round_number INTEGER NOT NULL,
    text TEXT,
    items TEXT,
    adopted_suggestion TEXT,
    revision_note TEXT,
    threshold REAL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    outcome TEXT,
    counts TEXT,
    reasons TEXT,
    perspectives TEXT
  ) WITHOUT ROWID;
  -- Responses exist only while a round is open, like ballots.
  CREATE TABLE consent_responses (
    proposal_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    response TEXT NOT NULL CHECK (response IN ('agree', 'can-live-with', 'object')),
    reason TEXT,
    PRIMARY KEY (proposal_id, participant_id)
  ) WITHOUT ROWID;
  CREATE TABLE consent_roll (
    proposal_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (proposal_id, participant_id)
  ) WITHOUT ROWID;
  `,
  `
  -- A content note on an idea (W9): published with the idea, so its text is never shown unfolded.
  ALTER TABLE ideas ADD COLUMN content_note TEXT;
  `,
  `
  -- No order at rest (issue 12). Rows keyed by a participant id, written when that person
  -- contributed, let a copy of the files pair people with ideas, ballots and answers by their
  -- place in a page. Per-person counters now live in memory; a ballot or a consent answer is keyed
  -- by a value derived from the person's token, which the database never holds (it keeps only
  -- SHA-256 of the token). Open ballots and answers from before cannot be re-keyed, so they go.
  DELETE FROM idea_quota;
  DELETE FROM voter_roll;
  DELETE FROM consent_roll;
  DROP TABLE ballots;
  CREATE TABLE ballots (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    voter_key TEXT NOT NULL,
    idea_id TEXT NOT NULL,
    dots INTEGER NOT NULL CHECK (dots > 0),
    PRIMARY KEY (workshop_id, section_id, voter_key, idea_id)
  ) WITHOUT ROWID;
  DROP TABLE consent_responses;
  CREATE TABLE consent_responses (
    workshop_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    responder_key TEXT NOT NULL,
    response TEXT NOT NULL CHECK (response IN ('agree', 'can-live-with', 'object')),
    reason TEXT,
    PRIMARY KEY (proposal_id, responder_key)
  ) WITHOUT ROWID;
  `,
  `
  -- Issue 16: co-production over time. Every table has a workshop_id or programme_id column, so a
  -- workshop or programme can be deleted table by table.
  CREATE TABLE programmes (
    programme_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    programme_key_hash TEXT NOT NULL,
    created_day TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX programmes_by_key ON programmes(programme_key_hash);
  ALTER TABLE workshops ADD COLUMN programme_id TEXT;
  ALTER TABLE workshops ADD COLUMN programme_position INTEGER;
  -- Minutes an involvement record vouches for, at most (the facilitator can change it).
  ALTER TABLE workshops ADD COLUMN session_minutes INTEGER NOT NULL DEFAULT 120;
  -- Written by staff, not participants: order and days are fine here.
  CREATE TABLE commitments (
    commitment_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    programme_id TEXT,
    text TEXT NOT NULL,
    owner_role TEXT NOT NULL,
    section_id TEXT,
    idea_ids TEXT NOT NULL DEFAULT '[]',
    due TEXT,
    created_day TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX commitments_by_workshop ON commitments(workshop_id);
  CREATE TABLE commitment_updates (
    commitment_id TEXT NOT NULL,
    workshop_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'doing', 'done', 'not-possible')),
    note TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (commitment_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE shares (
    share_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    created_day TEXT NOT NULL
  ) WITHOUT ROWID;
  -- Check-outs are kept as tallies (how many in a group gave each answer), never one row per
  -- person; "has this person checked out" is an HMAC of their raw token (checkout_markers).
  CREATE TABLE checkout_markers (
    workshop_id TEXT NOT NULL,
    marker TEXT NOT NULL,
    PRIMARY KEY (workshop_id, marker)
  ) WITHOUT ROWID;
  CREATE TABLE checkout_tallies (
    workshop_id TEXT NOT NULL,
    perspective TEXT NOT NULL,
    question TEXT NOT NULL,
    answer INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, perspective, question, answer)
  ) WITHOUT ROWID;
  -- "What changed for you": random ids, no perspective, no order.
  CREATE TABLE checkout_reflections (
    reflection_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    text TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE involvement_markers (
    workshop_id TEXT NOT NULL,
    marker TEXT NOT NULL,
    PRIMARY KEY (workshop_id, marker)
  ) WITHOUT ROWID;
  -- One row per record issued (random id), for the counts and the single redemption.
  CREATE TABLE involvement_records (
    record_id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    redeemed_day TEXT
  ) WITHOUT ROWID;
  `,
  `
  -- Issue 12 item 4. The door: closed, nobody new joins. A device (browser cookie) joins a
  -- workshop once: device_hash is sha256 of workshop id and device id, so a second join from the
  -- same browser is recognised and refused, and the hash names the device in no other workshop.
  ALTER TABLE workshops ADD COLUMN door_open INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE participants ADD COLUMN device_hash TEXT;
  CREATE UNIQUE INDEX participants_by_device ON participants(device_hash) WHERE device_hash IS NOT NULL;
  `,
  `
  -- Retention (issue 18): days kept after the last activity; NULL means the configured default.
  -- Activity is kept as a day, like everything else Parity dates.
  ALTER TABLE workshops ADD COLUMN retention_days INTEGER;
  ALTER TABLE workshops ADD COLUMN last_active_day TEXT;
  -- An author who asks after the vote opened: the idea stays for the tally, its text stays out of exports.
  ALTER TABLE ideas ADD COLUMN hide_from_exports INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Scale-out (issue 15): which instance holds each workshop's live state, for routing. The
  -- fence is a PostgreSQL advisory lock (server/cluster/Ownership.ts); SQLite never uses this.
  CREATE TABLE workshop_owners (
    workshop_id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Check-outs at rest (issue 18 review): a group's answers are now written only once at least 3
  -- of that group have checked out. Older versions wrote every group, so the only carer's answers
  -- sat in rows with n = 1. Those groups' rows go (secure_delete zeroes them); their check-outs
  -- count as "not kept" from now on, and no overall figure is shown for those workshops.
  DELETE FROM checkout_tallies WHERE (workshop_id, perspective) IN (
    SELECT workshop_id, perspective FROM checkout_tallies WHERE question = 'rung' GROUP BY workshop_id, perspective HAVING SUM(n) < 3
  );
  `,
  `
  -- Programme retention (issue 18): days kept after the last activity of the programme or any of
  -- its workshops; NULL means the configured default. Deleting a programme deletes its workshops.
  ALTER TABLE programmes ADD COLUMN retention_days INTEGER;
  ALTER TABLE programmes ADD COLUMN last_active_day TEXT;
  `,
  `
  -- Issue 13: a round votes on single ideas or on themes. Ballot and tally rows then name a theme
  -- (or an idea in no theme) in idea_id: the same budget, cap and sealed keys either way.
  ALTER TABLE vote_rounds ADD COLUMN subject TEXT NOT NULL DEFAULT 'ideas';
  `,
  `
  -- An author's request to leave an idea out of exports waits (hide_from_exports = 2) until 3
  -- people have asked, or until this day: applied at the tap it showed whose idea changed.
  ALTER TABLE ideas ADD COLUMN hide_from_exports_from TEXT;
  `,
  `
  -- Perspectives at rest (December review): participant rows sit in joining order, so a copy and a
  -- memory of who arrived when told a named person's perspective. Each row now holds its
  -- perspective sealed under the person's own token (opened only while they are served); the
  -- counts "who took part" needs are kept apart, per workshop. Rows written before this keep their
  -- plain perspective until their person is next served, when it is sealed and the plain copy
  -- cleared (secure_delete zeroes it).
  CREATE TABLE perspective_counts (
    workshop_id TEXT NOT NULL,
    perspective TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, perspective)
  ) WITHOUT ROWID;
  INSERT INTO perspective_counts (workshop_id, perspective, n)
    SELECT workshop_id, COALESCE(perspective, ''), COUNT(*) FROM participants GROUP BY workshop_id, COALESCE(perspective, '');
  ALTER TABLE participants ADD COLUMN perspective_sealed TEXT;
  `,
  `
  -- Who has cast a ballot in a section's open round, by sealed voter key (December review): the
  -- count everyone sees went down when the facilitator hid or merged an idea that held some
  -- voter's last dots, so removing ideas one by one probed open ballots. Cleared at close, as
  -- ballots are.
  CREATE TABLE vote_takers (
    workshop_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    voter_key TEXT NOT NULL,
    PRIMARY KEY (workshop_id, section_id, voter_key)
  ) WITHOUT ROWID;
  -- Rounds open during the upgrade: everyone with dots has voted.
  INSERT INTO vote_takers (workshop_id, section_id, voter_key) SELECT DISTINCT workshop_id, section_id, voter_key FROM ballots;
  `,
  `
  -- The day a workshop is held: its first join's (it may be created days before). "Who took
  -- part" counts that day's joins, and it and check-out results are shown once it is over.
  ALTER TABLE workshops ADD COLUMN held_day TEXT;
  `,
  `
  -- The day a workshop is held is now the day it is first run (a phase change or publication):
  -- a join the evening before made that day "the day". Days already set stay. The last day
  -- anyone checked out: check-out results wait until it is over.
  ALTER TABLE workshops ADD COLUMN checkout_day TEXT;
  -- Workshops someone joined before this version, with no day yet: their creation day, as the
  -- version before read them (otherwise their counts and results would wait for ever).
  UPDATE workshops SET held_day = created_day WHERE held_day IS NULL AND EXISTS (SELECT 1 FROM participants p WHERE p.workshop_id = workshops.workshop_id);
  `,
  `
  -- A closed round's results exactly as published (JSON): a later round nobody voted in is
  -- dropped and these come back as they were, not worked out again from themes and ideas since
  -- changed (VoteService.restorePreviousRound).
  ALTER TABLE vote_rounds ADD COLUMN published TEXT;
  `,
  `
  -- PostgreSQL: tables whose freed space is still to be rewritten (VACUUM FULL) after a deletion
  -- or a scrub (DeferredVacuum). Marked in the transaction that frees the space, cleared by the
  -- run that rewrote them, read at start: kept in memory, every start had to rewrite everything.
  -- Names of tables and a count, no workshop data. Unused on SQLite.
  CREATE TABLE rewrites_due (
    purpose TEXT NOT NULL,
    table_name TEXT NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (purpose, table_name)
  );
  `,
]
