import type { PublicResults, VoteSubject } from '../../shared/ballots.ts'
import type { Db } from './database.ts'

export interface VoteRoundRow {
  workshopId: string
  sectionId: string
  round: number
  budget: number
  maxPerIdea: number
  liveTallies: boolean
  /** What the dots go on; ballot and tally rows hold a theme's id (or a lone idea's) for `themes`. */
  subject: VoteSubject
  status: 'open' | 'closed'
  voterCount: number | null
}

/**
 * Vote rounds, ballots (only while a round is open, under sealed voter keys) and tallies.
 * `closeAndDetach` is the moment even the sealed link between a voter key and dots stops existing.
 */
export class VoteStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      insertRound: db.prepare(
        'INSERT INTO vote_rounds (workshop_id, section_id, round, budget, max_per_idea, live_tallies, subject, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      latestRound: db.prepare(
        'SELECT workshop_id AS workshopId, section_id AS sectionId, round, budget, max_per_idea AS maxPerIdea, live_tallies AS liveTallies, subject, status, voter_count AS voterCount FROM vote_rounds WHERE workshop_id = ? AND section_id = ? ORDER BY round DESC LIMIT 1',
      ),
      closeRound: db.prepare("UPDATE vote_rounds SET status = 'closed', voter_count = ? WHERE workshop_id = ? AND section_id = ? AND round = ?"),
      setPublished: db.prepare('UPDATE vote_rounds SET published = ? WHERE workshop_id = ? AND section_id = ? AND round = ?'),
      published: db.prepare('SELECT published FROM vote_rounds WHERE workshop_id = ? AND section_id = ? AND round = ?'),
      deleteBallot: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND section_id = ? AND voter_key = ?'),
      insertDots: db.prepare('INSERT INTO ballots (workshop_id, section_id, voter_key, idea_id, dots) VALUES (?, ?, ?, ?, ?)'),
      ballotOf: db.prepare('SELECT idea_id AS ideaId, dots FROM ballots WHERE workshop_id = ? AND section_id = ? AND voter_key = ?'),
      voterCount: db.prepare('SELECT COUNT(DISTINCT voter_key) AS n FROM ballots WHERE workshop_id = ? AND section_id = ?'),
      closedVoterCount: db.prepare('SELECT voter_count AS n FROM vote_rounds WHERE workshop_id = ? AND section_id = ? AND round = ?'),
      sumDots: db.prepare('SELECT idea_id AS ideaId, SUM(dots) AS dots FROM ballots WHERE workshop_id = ? AND section_id = ? GROUP BY idea_id'),
      clearBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND section_id = ?'),
      markTaker: db.prepare('INSERT INTO vote_takers (workshop_id, section_id, voter_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      takerCount: db.prepare('SELECT COUNT(*) AS n FROM vote_takers WHERE workshop_id = ? AND section_id = ?'),
      clearTakers: db.prepare('DELETE FROM vote_takers WHERE workshop_id = ? AND section_id = ?'),
      deleteDotsOn: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND section_id = ? AND idea_id = ?'),
      insertTally: db.prepare('INSERT INTO tallies (workshop_id, section_id, round, idea_id, dots) VALUES (?, ?, ?, ?, ?)'),
      tallies: db.prepare('SELECT idea_id AS ideaId, dots FROM tallies WHERE workshop_id = ? AND section_id = ? AND round = ?'),
      round: db.prepare(
        'SELECT workshop_id AS workshopId, section_id AS sectionId, round, budget, max_per_idea AS maxPerIdea, live_tallies AS liveTallies, subject, status, voter_count AS voterCount FROM vote_rounds WHERE workshop_id = ? AND section_id = ? AND round = ?',
      ),
      dropRound: db.prepare('DELETE FROM vote_rounds WHERE workshop_id = ? AND section_id = ? AND round = ?'),
    }
  }

  round(workshopId: string, sectionId: string, round: number): VoteRoundRow | undefined {
    return asRound(this.s.round.get(workshopId, sectionId, round))
  }

  /** The round's results as published at close, to show again exactly (see restorePreviousRound). */
  setPublished(workshopId: string, sectionId: string, round: number, results: PublicResults): void {
    this.s.setPublished.run(JSON.stringify(results), workshopId, sectionId, round)
  }

  published(workshopId: string, sectionId: string, round: number): PublicResults | null {
    const row = this.s.published.get(workshopId, sectionId, round) as { published: string | null } | undefined
    return row?.published ? (JSON.parse(row.published) as PublicResults) : null
  }

  /** Removes a round nobody voted in (VoteService.closeRound): it had no ballots or tallies. */
  dropRound(workshopId: string, sectionId: string, round: number): void {
    this.s.clearTakers.run(workshopId, sectionId)
    this.s.dropRound.run(workshopId, sectionId, round)
  }

  latestRound(workshopId: string, sectionId: string): VoteRoundRow | undefined {
    return asRound(this.s.latestRound.get(workshopId, sectionId))
  }

  openRound(row: Omit<VoteRoundRow, 'status' | 'voterCount'>): void {
    this.s.clearBallots.run(row.workshopId, row.sectionId)
    this.s.clearTakers.run(row.workshopId, row.sectionId)
    this.s.insertRound.run(row.workshopId, row.sectionId, row.round, row.budget, row.maxPerIdea, row.liveTallies ? 1 : 0, row.subject, 'open')
  }

  /**
   * Replaces one person's whole allocation. Call inside the transaction that checked it.
   * `voterKey` is sealed (derived from their token): no row here names a participant, and no
   * row naming one is written with it, so neither the rows nor the WAL pair people with dots.
   */
  replaceBallot(workshopId: string, sectionId: string, voterKey: string, dots: Map<string, number>): void {
    this.s.deleteBallot.run(workshopId, sectionId, voterKey)
    let cast = false
    for (const [ideaId, n] of dots) {
      if (n <= 0) continue
      this.s.insertDots.run(workshopId, sectionId, voterKey, ideaId, n)
      cast = true
    }
    if (cast) this.s.markTaker.run(workshopId, sectionId, voterKey)
  }

  /**
   * People who have put dots in the open round, whatever happened to them since (they changed
   * their mind, or the ideas left the vote): the count everyone sees. It never goes down, so
   * removing an idea tells nobody whose last dots were on it.
   */
  takerCount(workshopId: string, sectionId: string): number {
    return Number((this.s.takerCount.get(workshopId, sectionId) as { n: number | string }).n)
  }

  /** Takes every dot off these items, in every ballot of the open round (they left the vote). */
  removeDotsOn(workshopId: string, sectionId: string, itemIds: readonly string[]): void {
    for (const itemId of itemIds) this.s.deleteDotsOn.run(workshopId, sectionId, itemId)
  }

  ballotOf(workshopId: string, sectionId: string, voterKey: string): Map<string, number> {
    const rows = this.s.ballotOf.all(workshopId, sectionId, voterKey) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }

  /** People with at least one dot in the open round (ballots hold only the open round). */
  voterCount(workshopId: string, sectionId: string): number {
    return (this.s.voterCount.get(workshopId, sectionId) as { n: number }).n
  }

  /** How many voted in a closed round (stored when it closed). */
  closedVoterCount(workshopId: string, sectionId: string, round: number): number {
    return (this.s.closedVoterCount.get(workshopId, sectionId, round) as { n: number | null } | undefined)?.n ?? 0
  }

  /** Current sums per idea (for live tallies and for closing). */
  currentSums(workshopId: string, sectionId: string): Map<string, number> {
    const rows = this.s.sumDots.all(workshopId, sectionId) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }

  /**
   * Closes the round: stores the sums and the number of voters, deletes every ballot row.
   */
  closeAndDetach(workshopId: string, sectionId: string, round: number): Map<string, number> {
    const sums = this.currentSums(workshopId, sectionId)
    for (const [ideaId, dots] of sums) this.s.insertTally.run(workshopId, sectionId, round, ideaId, dots)
    // People who put dots in: the count everyone saw while the vote was open (VoteService.closeRound).
    this.s.closeRound.run(this.takerCount(workshopId, sectionId), workshopId, sectionId, round)
    this.s.clearBallots.run(workshopId, sectionId)
    this.s.clearTakers.run(workshopId, sectionId)
    return sums
  }

  tallies(workshopId: string, sectionId: string, round: number): Map<string, number> {
    const rows = this.s.tallies.all(workshopId, sectionId, round) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }
}

function asRound(stored: unknown): VoteRoundRow | undefined {
  const row = stored as (Omit<VoteRoundRow, 'liveTallies'> & { liveTallies: number }) | undefined
  return row ? { ...row, liveTallies: row.liveTallies === 1 } : undefined
}
