/**
 * Every table that holds a workshop's rows, and how to find them: deleting a workshop walks this
 * list, so a new table is one line here (a test fails when a table with a `workshop_id` column
 * is missing). `scope` is an SQL condition with one `?` for the workshop id.
 */
export interface WorkshopTable {
  table: string
  scope: string
}

const byWorkshop = (table: string): WorkshopTable => ({ table, scope: 'workshop_id = ?' })
const byProposal = (table: string): WorkshopTable => ({ table, scope: 'proposal_id IN (SELECT proposal_id FROM proposals WHERE workshop_id = ?)' })

/**
 * Removed first, in one small transaction: once the `workshops` row is gone every route and
 * socket for the workshop answers 404, and what remains below is an orphan the sweep removes.
 * (Participants go with it: they reference the workshop row.)
 */
export const GATE_TABLES: readonly WorkshopTable[] = [byWorkshop('participants'), byWorkshop('workshops')]

/** Swept afterwards in small slices. Order matters only where one scope reads another table. */
export const SWEPT_TABLES: readonly WorkshopTable[] = [
  byWorkshop('consent_responses'),
  byProposal('consent_roll'),
  byWorkshop('proposals'),
  byWorkshop('ballots'),
  byWorkshop('voter_roll'),
  byWorkshop('vote_takers'),
  byWorkshop('tallies'),
  byWorkshop('vote_rounds'),
  byWorkshop('ideas'),
  byWorkshop('idea_quota'),
  byWorkshop('moderation_log'),
  byWorkshop('invite_codes'),
  byWorkshop('perspective_counts'),
  byWorkshop('doc_updates'),
  byWorkshop('doc_snapshots'),
  // Co-production over time (issue 16). Programmes themselves are not deleted with a workshop.
  byWorkshop('commitment_updates'),
  byWorkshop('commitments'),
  byWorkshop('shares'),
  byWorkshop('checkout_markers'),
  byWorkshop('checkout_tallies'),
  byWorkshop('checkout_reflections'),
  byWorkshop('involvement_markers'),
  byWorkshop('involvement_records'),
  // Scale-out (issue 15): routing only, no content.
  byWorkshop('workshop_owners'),
]

const bySection = (table: string): WorkshopTable => ({ table, scope: 'workshop_id = ? AND section_id = ?' })
const bySectionProposal = (table: string): WorkshopTable => ({
  table,
  scope: 'proposal_id IN (SELECT proposal_id FROM proposals WHERE workshop_id = ? AND section_id = ?)',
})

/**
 * Every row of one section, for removing it (`scope` takes the workshop id, then the section
 * id). Only left: the public moderation log and commitments, which keep naming the section, so
 * its id is never given to a new one (SectionEraser.usedIds).
 */
export const SECTION_TABLES: readonly WorkshopTable[] = [
  bySectionProposal('consent_responses'),
  bySectionProposal('consent_roll'),
  bySection('proposals'),
  bySection('ballots'),
  bySection('voter_roll'),
  bySection('vote_takers'),
  bySection('tallies'),
  bySection('vote_rounds'),
  bySection('ideas'),
  bySection('idea_quota'),
]

/**
 * Every other table, and why deleting a workshop leaves it alone: none holds a workshop's rows.
 * A test checks that each table is in exactly one of these lists.
 */
export const NO_WORKSHOP_TABLES: Readonly<Record<string, string>> = {
  schema_migrations: 'which migrations ran',
  server_secrets: 'keys of this deployment',
  programmes: 'deleted with their programme (ProgrammeEraser), which also deletes its workshops',
  rewrites_due: 'names of tables still to be rewritten on PostgreSQL (DeferredVacuum)',
}

/** Tables with a `section_id` column that keep a removed section's rows, on purpose (see above). */
export const SECTION_HISTORY_TABLES: readonly string[] = ['moderation_log', 'commitments']
