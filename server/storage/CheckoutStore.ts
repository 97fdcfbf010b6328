import { CHECKOUT_QUESTIONS, type CheckoutBody, type CheckoutTally, type PerspectiveGroup } from '../../shared/coproduction.ts'
import type { Db } from './database.ts'

/**
 * Check-outs, kept so a copy of the database cannot tie one to a person: tallies per perspective
 * group (never a row per answer), reflections under random ids with no group, and the "already
 * checked out" marker (an HMAC of the raw token) in its own table, written in its own, earlier
 * transaction (see CheckoutService).
 */
export class CheckoutStore {
  private readonly s

  constructor(private readonly db: Db) {
    this.s = {
      mark: db.prepare('INSERT OR IGNORE INTO checkout_markers (workshop_id, marker) VALUES (?, ?)'),
      tally: db.prepare(
        'INSERT INTO checkout_tallies (workshop_id, perspective, question, answer, n) VALUES (?, ?, ?, ?, 1) ON CONFLICT (workshop_id, perspective, question, answer) DO UPDATE SET n = checkout_tallies.n + 1',
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

  record(workshopId: string, group: PerspectiveGroup, answers: CheckoutBody, reflection: { id: string; text: string } | null): void {
    this.db.transaction(() => {
      for (const question of CHECKOUT_QUESTIONS) this.s.tally.run(workshopId, group, question, answers[question])
      if (reflection) this.s.reflect.run(reflection.id, workshopId, reflection.text)
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
