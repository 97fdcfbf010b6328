import { describe, expect, it } from 'vitest'
import { ideaCard, sectionFrame, baseRecords } from '../../shared/boardRecords.ts'
import { checkBoardRecord } from './boardRecordValidation.ts'

const limits = { maxRecordBytes: 64 * 1024, maxRecordDepth: 32 }

describe('checkBoardRecord', () => {
  it('accepts every record the server itself puts on the board', () => {
    for (const record of [...baseRecords(), sectionFrame('values', 'Values', 1), ideaCard('idea1', 'values', 3)]) expect(checkBoardRecord(record, limits)).toBeNull()
  })

  it('refuses what tldraw refuses, and what is too big, too deep or not shared', () => {
    const card = ideaCard('idea1', 'values', 0)
    expect(checkBoardRecord({ ...card, x: Number.NaN }, limits)).toBe("not a valid tldraw record")
    expect(checkBoardRecord({ ...card, meta: { big: 'x'.repeat(70 * 1024) } }, limits)).toMatch(/too large/)
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect(checkBoardRecord({ ...card, meta: { deep } }, limits)).toMatch(/nested too deeply/)
    expect(checkBoardRecord({ id: 'camera:x', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }, limits)).toMatch(/not shared/)
  })
})
