import { describe, expect, it } from 'vitest'
import { databaseBefore } from './migrationBefore.testkit.ts'

describe('the check-out day migration', () => {
  it('gives workshops joined before it a held day (their creation day), so their counts and results do not wait for ever', () => {
    const { db, migrate } = databaseBefore('ADD COLUMN checkout_day')
    const workshop = db.prepare("INSERT INTO workshops (workshop_id, title, join_mode, join_code, facilitator_key_hash, created_day, held_day) VALUES (?, 't', 'open', ?, 'h', '2026-11-02', ?)")
    workshop.run('joined', 'C1', null)
    workshop.run('nobody', 'C2', null)
    workshop.run('held', 'C3', '2026-11-20')
    const join = db.prepare("INSERT INTO participants (participant_id, workshop_id, token_hash) VALUES (?, ?, ?)")
    join.run('p1', 'joined', 't1')
    join.run('p2', 'held', 't2')
    migrate()
    expect(db.prepare('SELECT workshop_id AS id, held_day AS held, checkout_day AS checkout FROM workshops ORDER BY workshop_id').all()).toEqual([
      { id: 'held', held: '2026-11-20', checkout: null },
      { id: 'joined', held: '2026-11-02', checkout: null },
      { id: 'nobody', held: null, checkout: null },
    ])
    db.close()
  })
})
