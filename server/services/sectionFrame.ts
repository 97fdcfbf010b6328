import { frameHeightFor, frameHeightOf, sectionFrame, sectionFrameId } from '../../shared/boardRecords.ts'
import type { Section } from '../../shared/sections.ts'
import type { Room } from '../rooms/Room.ts'

/**
 * Writes a section's frame at its title and place. A frame clips whatever sticks out of it, so it
 * is never shorter than its cards: it keeps the height it has and grows to fit the card in
 * `lastCardSlot` (-1: no new card). The one place frames are written after a workshop is made.
 */
export function placeSectionFrame(room: Room, section: Section, lastCardSlot = -1): void {
  const id = sectionFrameId(section.sectionId)
  const height = Math.max(frameHeightOf(room.boardRecords.get(id)), frameHeightFor(lastCardSlot))
  room.boardRecords.set(id, sectionFrame(section.sectionId, section.title, section.order, height))
}
