import { describe, expect, it } from 'vitest'
import { databaseBefore } from './migrationBefore.testkit.ts'

describe('the perspectives-at-rest migration', () => {
  it('counts the perspectives older versions stored on each row, so "who took part" stays the same', () => {
    const { db, migrate } = databaseBefore('Perspectives at rest')
    db.prepare("INSERT INTO workshops (workshop_id, title, join_mode, join_code, facilitator_key_hash, created_day) VALUES ('w1', 't', 'open', 'C1', 'h', '2026-12-01')").run()
    const insert = db.prepare("INSERT INTO participants (participant_id, workshop_id, token_hash, perspective) VALUES (?, 'w1', ?, ?)")
    for (const [i, perspective] of ['carer', 'staff', 'carer', null].entries()) insert.run(`p${i}`, `t${i}`, perspective)
    migrate()
    expect(db.prepare('SELECT perspective, n FROM perspective_counts WHERE workshop_id = ? ORDER BY perspective').all('w1')).toEqual([
      { perspective: '', n: 1 },
      { perspective: 'carer', n: 2 },
      { perspective: 'staff', n: 1 },
    ])
    db.close()
  })
})
