import { isSectionFrameId, type BoardRecord } from '../../shared/boardRecords.ts'
import type { Room } from './Room.ts'

/**
 * Brings a board saved by an earlier version up to date as its room loads. Section frames used
 * to be locked, and tldraw moves nothing inside a locked shape, so nobody could drag a card on
 * such a board. Clients may not change frames (the board guard refuses it), so the server
 * unlocks them itself, stored like any server write: once per board, before anyone joins.
 */
export function upgradeBoard(room: Room): void {
  const locked: BoardRecord[] = []
  for (const [key, record] of room.boardRecords.entries()) if (isSectionFrameId(key) && record.isLocked === true) locked.push(record)
  if (locked.length === 0) return
  room.commit(() => undefined, {
    board: () => {
      for (const record of locked) room.boardRecords.set(record.id, { ...record, isLocked: false })
    },
  })
}
