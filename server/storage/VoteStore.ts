import type { Db } from './database.ts'

export interface VoteRoundRow {
  workshopId: string
  sectionId: string
  round: number
  budget: number
  maxPerIdea: number
  liveTallies: boolean
  status: 'open' | 'closed'
  voterCount: number | null
}

/**
 * Vote rounds, ballots (only while a round is open), the voter roll and tallies. `detach`
 * is the moment the link between a person and their dots stops existing.
 */
export class VoteStore {
  private readonly s

  constructor(private readonly db: Db) {
    this.s = {
      insertRound: db.prepare(
        'INSERT INTO vote_rounds (workshop_id, section_id, round, budget, max_per_idea, live_tallies, status) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      latestRound: db.prepare(
        'SELECT workshop_id AS workshopId, section_id AS sectionId, round, budget, max_per_idea AS maxPerIdea, live_tallies AS liveTallies, status, voter_count AS voterCount FROM vote_rounds WHERE workshop_id = ? AND section_id = ? ORDER BY round DESC LIMIT 1',
      ),
      closeRound: db.prepare("UPDATE vote_rounds SET status = 'closed', voter_count = ? WHERE workshop_id = ? AND section_id = ? AND round = ?"),
      deleteBallot: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND section_id = ? AND participant_id = ?'),
      insertDots: db.prepare('INSERT INTO ballots (workshop_id, section_id, participant_id, idea_id, dots) VALUES (?, ?, ?, ?, ?)'),
      ballotOf: db.prepare('SELECT idea_id AS ideaId, dots FROM ballots WHERE workshop_id = ? AND section_id = ? AND participant_id = ?'),
      rollIn: db.prepare('INSERT OR IGNORE INTO voter_roll (workshop_id, section_id, round, participant_id) VALUES (?, ?, ?, ?)'),
      rollOut: db.prepare('DELETE FROM voter_roll WHERE workshop_id = ? AND section_id = ? AND round = ? AND participant_id = ?'),
      rollCount: db.prepare('SELECT COUNT(*) AS n FROM voter_roll WHERE workshop_id = ? AND section_id = ? AND round = ?'),
      sumDots: db.prepare('SELECT idea_id AS ideaId, SUM(dots) AS dots FROM ballots WHERE workshop_id = ? AND section_id = ? GROUP BY idea_id'),
      clearBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND section_id = ?'),
      insertTally: db.prepare('INSERT INTO tallies (workshop_id, section_id, round, idea_id, dots) VALUES (?, ?, ?, ?, ?)'),
      tallies: db.prepare('SELECT idea_id AS ideaId, dots FROM tallies WHERE workshop_id = ? AND section_id = ? AND round = ?'),
    }
  }

  latestRound(workshopId: string, sectionId: string): VoteRoundRow | undefined {
    const row = this.s.latestRound.get(workshopId, sectionId) as (Omit<VoteRoundRow, 'liveTallies'> & { liveTallies: number }) | undefined
    return row ? { ...row, liveTallies: row.liveTallies === 1 } : undefined
  }

  openRound(row: Omit<VoteRoundRow, 'status' | 'voterCount'>): void {
    this.s.clearBallots.run(row.workshopId, row.sectionId)
    this.s.insertRound.run(row.workshopId, row.sectionId, row.round, row.budget, row.maxPerIdea, row.liveTallies ? 1 : 0, 'open')
  }

  /** Replaces one person's whole allocation. Call inside the transaction that checked it. */
  replaceBallot(workshopId: string, sectionId: string, round: number, participantId: string, dots: Map<string, number>): void {
    this.s.deleteBallot.run(workshopId, sectionId, participantId)
    for (const [ideaId, n] of dots) if (n > 0) this.s.insertDots.run(workshopId, sectionId, participantId, ideaId, n)
    if ([...dots.values()].some((n) => n > 0)) this.s.rollIn.run(workshopId, sectionId, round, participantId)
    else this.s.rollOut.run(workshopId, sectionId, round, participantId)
  }

  ballotOf(workshopId: string, sectionId: string, participantId: string): Map<string, number> {
    const rows = this.s.ballotOf.all(workshopId, sectionId, participantId) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }

  voterCount(workshopId: string, sectionId: string, round: number): number {
    return (this.s.rollCount.get(workshopId, sectionId, round) as { n: number }).n
  }

  /** Current sums per idea (for live tallies and for closing). */
  currentSums(workshopId: string, sectionId: string): Map<string, number> {
    const rows = this.s.sumDots.all(workshopId, sectionId) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }

  /**
   * Closes the round: stores the sums, deletes every ballot row. After this nothing in the
   * database links a participant to an idea they voted for; the roll says only who voted.
   */
  closeAndDetach(workshopId: string, sectionId: string, round: number): Map<string, number> {
    const sums = this.currentSums(workshopId, sectionId)
    for (const [ideaId, dots] of sums) this.s.insertTally.run(workshopId, sectionId, round, ideaId, dots)
    this.s.closeRound.run(this.voterCount(workshopId, sectionId, round), workshopId, sectionId, round)
    this.s.clearBallots.run(workshopId, sectionId)
    return sums
  }

  tallies(workshopId: string, sectionId: string, round: number): Map<string, number> {
    const rows = this.s.tallies.all(workshopId, sectionId, round) as { ideaId: string; dots: number }[]
    return new Map(rows.map((row) => [row.ideaId, row.dots]))
  }

  /** Flushes the WAL into the main file and truncates it, so detached rows leave no copy behind. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)')
  }
}
