import { CHECKOUT_QUESTIONS, type CheckoutTally, type PerspectiveGroup } from '../../shared/coproduction.ts'
import type { CheckoutBody } from '../../shared/coproductionBodies.ts'
import type { Db } from './database.ts'
import { secureShuffle } from './diskHygiene.ts'

/**
 * Check-outs, kept so a copy of the database cannot tie one to a person: tallies per perspective
 * group (never a row per answer), written only a whole batch of at least MIN_RESULT_GROUP people
 * of one group at a time (CheckoutService holds smaller groups in memory); reflections under
 * random ids with no group; and the "already checked out" marker (an HMAC of the raw token) in
 * its own table, written in its own, earlier transaction.
 */
export class CheckoutStore {
  private readonly s

  constructor(private readonly db: Db) {
    this.s = {
      mark: db.prepare('INSERT OR IGNORE INTO checkout_markers (workshop_id, marker) VALUES (?, ?)'),
      markers: db.prepare('SELECT COUNT(*) AS n FROM checkout_markers WHERE workshop_id = ?'),
      tally: db.prepare(
        'INSERT INTO checkout_tallies (workshop_id, perspective, question, answer, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, perspective, question, answer) DO UPDATE SET n = checkout_tallies.n + excluded.n',
      ),
      reflect: db.prepare('INSERT INTO checkout_reflections (reflection_id, workshop_id, text) VALUES (?, ?, ?)'),
      tallies: db.prepare('SELECT perspective AS "group", question, answer, n FROM checkout_tallies WHERE workshop_id = ?'),
      reflections: db.prepare('SELECT text FROM checkout_reflections WHERE workshop_id = ? ORDER BY reflection_id'),
    }
  }

  /** True the first time for this marker; false if it was already there. */
  mark(workshopId: string, marker: string): boolean {
    return this.s.mark.run(workshopId, marker).changes === 1
  }

  /** How many people have checked out (kept or not). */
  markerCount(workshopId: string): number {
    return Number((this.s.markers.get(workshopId) as { n: number | string }).n)
  }

  /**
   * One group's batch in one transaction: only the batch's sums reach the disk (and the WAL), so
   * no write shows one person's answers. Reflections go in a random order, so their cells' places
   * in a page do not follow the batch's order.
   */
  recordBatch(workshopId: string, group: PerspectiveGroup, batch: readonly CheckoutBody[], reflections: readonly { id: string; text: string }[]): void {
    const sums = new Map<string, number>()
    for (const answers of batch)
      for (const question of CHECKOUT_QUESTIONS) sums.set(`${question} ${answers[question]}`, (sums.get(`${question} ${answers[question]}`) ?? 0) + 1)
    this.db.transaction(() => {
      for (const [key, n] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
        const [question, answer] = key.split(' ') as [string, string]
        this.s.tally.run(workshopId, group, question, Number(answer), n)
      }
      for (const reflection of secureShuffle(reflections)) this.s.reflect.run(reflection.id, workshopId, reflection.text)
    })()
  }

  tallies(workshopId: string): CheckoutTally[] {
    return this.s.tallies.all(workshopId) as CheckoutTally[]
  }

  /** Ordered by random id: never by when they were written. */
  reflections(workshopId: string): string[] {
    return (this.s.reflections.all(workshopId) as { text: string }[]).map((row) => row.text)
  }
}
