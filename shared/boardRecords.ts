/**
 * tldraw records the server writes onto the board: a frame per section and a card per idea.
 * Plain JSON in tldraw's record format, so the server needs no tldraw import. Ids carry the
 * section or idea id, so the board guard can recognise server-owned records by id alone.
 */
export const IDEA_CARD_TYPE = 'idea-card'
export const PAGE_ID = 'page:page'
export const DOCUMENT_ID = 'document:document'

export const sectionFrameId = (sectionId: string) => `shape:section-${sectionId}`
export const ideaCardId = (ideaId: string) => `shape:idea-${ideaId}`
export const isSectionFrameId = (recordId: string) => recordId.startsWith('shape:section-')
/** The section a frame id belongs to, or null for any other record. */
export const sectionIdOfFrame = (recordId: string): string | null => (isSectionFrameId(recordId) ? recordId.slice('shape:section-'.length) : null)
export const isServerShapeId = (recordId: string) => isSectionFrameId(recordId) || recordId.startsWith('shape:idea-')

export const FRAME_WIDTH = 1000
export const FRAME_HEIGHT = 900
const FRAME_GAP = 120
export const CARD_WIDTH = 220
export const CARD_HEIGHT = 140
const CARD_COLUMNS = 4
const CARD_GAP = 20
const CARD_TOP = 60

export type BoardRecord = Record<string, unknown> & { id: string; typeName: string }

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** tldraw fractional index for the n-th item (n ≥ 0): 'a1'…'az', then 'b01'… */
export function fractionalIndex(n: number): string {
  if (n < 61) return `a${DIGITS[n + 1]}`
  const m = n - 61 + 1
  return `b${DIGITS[Math.floor(m / 62) % 62]}${DIGITS[m % 62]}`
}

/** The document and page tldraw needs before anything else; identical on every client. */
export function baseRecords(): BoardRecord[] {
  return [
    { gridSize: 10, name: '', meta: {}, id: DOCUMENT_ID, typeName: 'document' },
    { meta: {}, id: PAGE_ID, name: 'Page 1', index: 'a1', typeName: 'page' },
  ]
}

const shapeBase = (id: string, parentId: string, index: number, x: number, y: number) => ({
  id,
  typeName: 'shape',
  parentId,
  index: fractionalIndex(index),
  x,
  y,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
})

/**
 * The height a frame needs to show cards in slots 0…lastSlot, never less than the standard one.
 * A fixed 900 showed 20 cards: the 21st was placed below the frame, which clips what sticks out.
 */
export function frameHeightFor(lastSlot: number): number {
  const rows = Math.floor(lastSlot / CARD_COLUMNS) + 1
  return Math.max(FRAME_HEIGHT, CARD_TOP + rows * (CARD_HEIGHT + CARD_GAP) + CARD_GAP)
}

/** A frame record's height as last written (the standard one if none). */
export function frameHeightOf(frame: BoardRecord | undefined): number {
  const height = (frame?.props as { h?: unknown } | undefined)?.h
  return typeof height === 'number' ? height : FRAME_HEIGHT
}

export function sectionFrame(sectionId: string, title: string, order: number, height = FRAME_HEIGHT): BoardRecord {
  return {
    ...shapeBase(sectionFrameId(sectionId), PAGE_ID, order, order * (FRAME_WIDTH + FRAME_GAP), 0),
    type: 'frame',
    // Not locked: tldraw refuses to move anything inside a locked shape, and people move the
    // cards. The layout is still the server's: clients keep frames as they are
    // (client/board/serverShapes.ts) and the board guard refuses any change to them.
    props: { w: FRAME_WIDTH, h: height, name: title, color: 'black' },
  }
}

/** The n-th card slot inside a section frame, in reading order. */
export function ideaCard(ideaId: string, sectionId: string, slot: number): BoardRecord {
  const x = CARD_GAP + (slot % CARD_COLUMNS) * (CARD_WIDTH + CARD_GAP)
  const y = CARD_TOP + Math.floor(slot / CARD_COLUMNS) * (CARD_HEIGHT + CARD_GAP)
  return {
    ...shapeBase(ideaCardId(ideaId), sectionFrameId(sectionId), slot, x, y),
    type: IDEA_CARD_TYPE,
    props: { ideaId, w: CARD_WIDTH, h: CARD_HEIGHT },
  }
}
