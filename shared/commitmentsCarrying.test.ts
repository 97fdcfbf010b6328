import { describe, expect, it } from 'vitest'
import { commitmentsCarrying, type PublicCommitment } from './coproduction.ts'

const commitment = (commitmentId: string, ideaIds: string[]): PublicCommitment => ({
  commitmentId,
  workshopId: 'w',
  text: `Promise ${commitmentId}`,
  ownerRole: 'Ward manager',
  sectionId: null,
  ideaIds,
  due: null,
  createdOn: '2026-12-01',
  status: 'planned',
  updates: [],
})

describe('commitmentsCarrying', () => {
  const list = [commitment('c1', ['i1']), commitment('c2', ['i2', 'i3']), commitment('c3', [])]

  it('finds the commitments that carry an idea, or the idea it was merged into, and no others', () => {
    expect(commitmentsCarrying({ ideaId: 'i1' }, list).map((c) => c.commitmentId)).toEqual(['c1'])
    expect(commitmentsCarrying({ ideaId: 'i9', mergedInto: 'i3' }, list).map((c) => c.commitmentId)).toEqual(['c2'])
    expect(commitmentsCarrying({ ideaId: 'i9', mergedInto: null }, list)).toEqual([])
  })
})
