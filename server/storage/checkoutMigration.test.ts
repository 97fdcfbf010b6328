import { describe, expect, it } from 'vitest'
import { databaseBefore } from './migrationBefore.testkit.ts'

describe('the check-outs-at-rest migration', () => {
  it('drops the rows of groups under 3 that older versions wrote, and keeps the rest', () => {
    const { db, migrate } = databaseBefore('Check-outs at rest')
    const insert = db.prepare('INSERT INTO checkout_tallies (workshop_id, perspective, question, answer, n) VALUES (?, ?, ?, ?, ?)')
    for (const [workshop, group, n] of [['w1', 'carer', 1], ['w1', 'staff', 3], ['w2', 'lived-experience', 2], ['w2', 'carer', 4]] as const) {
      insert.run(workshop, group, 'rung', 4, n)
      insert.run(workshop, group, 'heard', 5, n)
    }
    migrate()
    expect(db.prepare('SELECT workshop_id AS w, perspective AS p, question AS q FROM checkout_tallies ORDER BY 1, 2, 3').all()).toEqual([
      { w: 'w1', p: 'staff', q: 'heard' },
      { w: 'w1', p: 'staff', q: 'rung' },
      { w: 'w2', p: 'carer', q: 'heard' },
      { w: 'w2', p: 'carer', q: 'rung' },
    ])
    db.close()
  })
})
