import { isServerShapeId, sectionIdOfFrame, type BoardRecord } from './boardRecords.ts'

/** Words someone wrote on the board itself (a note, a label), for the list view. */
export interface BoardWords {
  id: string
  /** The section whose frame holds it; null: on the open board. */
  sectionId: string | null
  text: string
}

/** Plain text of a shape's words: tldraw keeps them as a rich-text tree (`richText`), older boards as `text`. */
export function plainText(props: unknown): string {
  if (typeof props !== 'object' || props === null) return ''
  const { richText, text } = props as { richText?: unknown; text?: unknown }
  if (typeof text === 'string') return text.trim()
  const parts: string[] = []
  const walk = (node: unknown, depth: number) => {
    if (typeof node !== 'object' || node === null || depth > 32) return
    const { type, text: words, content } = node as { type?: unknown; text?: unknown; content?: unknown }
    if (typeof words === 'string') parts.push(words)
    if (Array.isArray(content)) for (const child of content) walk(child, depth + 1)
    if (type === 'paragraph' || type === 'hardBreak') parts.push('\n')
  }
  walk(richText, 0)
  return parts.join('').replace(/\n{2,}/g, '\n').trim()
}

/**
 * One participant may fill their whole board share (1 MiB) with words; the list is what phones
 * use, so it shows at most this many notes, each cut at this many characters.
 */
export const MAX_NOTES_LISTED = 100
export const MAX_NOTE_CHARS = 500

const cut = (text: string) => ([...text].length > MAX_NOTE_CHARS ? `${[...text].slice(0, MAX_NOTE_CHARS).join('')}…` : text)

/**
 * Everything people wrote on the board with its own tools (notes, text, labelled shapes), in
 * reading order (top to bottom, then left to right) within each section. Idea cards and section
 * frames are the server's and are in the list already.
 */
export function wordsOnBoard(records: Iterable<BoardRecord>): BoardWords[] {
  const found: (BoardWords & { x: number; y: number })[] = []
  for (const record of records) {
    if (record.typeName !== 'shape' || isServerShapeId(record.id)) continue
    const text = plainText(record.props)
    if (!text) continue
    const parentId = typeof record.parentId === 'string' ? record.parentId : ''
    found.push({ id: record.id, sectionId: sectionIdOfFrame(parentId), text, x: Number(record.x) || 0, y: Number(record.y) || 0 })
  }
  return found.sort((a, b) => a.y - b.y || a.x - b.x).map(({ id, sectionId, text }) => ({ id, sectionId, text: cut(text) }))
}
