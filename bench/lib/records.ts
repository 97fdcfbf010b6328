import { fractionalIndex } from '../../shared/boardRecords.ts'
import { MARKER_PLACEHOLDER } from './wire.ts'

/**
 * tldraw-shaped records (tldraw 5 shape props: geo, note, draw) built as plain JSON, so the
 * bench needs no tldraw import. Sizes match what tldraw writes: ~400–500 bytes for a geo or
 * note, draw strokes carrying their points as a base64 path.
 */

export type ShapeKind = 'geo' | 'note' | 'draw'

export interface BenchRecord {
  id: string
  typeName: 'shape'
  type: ShapeKind
  parentId: string
  index: string
  x: number
  y: number
  rotation: number
  isLocked: boolean
  opacity: number
  props: Record<string, unknown>
  meta: Record<string, string>
}

const COLORS = ['black', 'blue', 'green', 'light-violet', 'orange', 'red', 'violet', 'yellow']
const WORDS = 'respect listen time voice choice safety trust kind clear plain honest share rest pause care equal power lived experience hope'.split(' ')
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

export const richText = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }],
})

export function words(random: () => number, count: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!)
  return out.join(' ')
}

function drawPath(random: () => number, points: number): string {
  // tldraw stores a stroke as base64 of packed float16 triples: 6 bytes a point, 8 chars per point.
  let path = ''
  for (let i = 0; i < points * 8; i++) path += BASE64[Math.floor(random() * 64)]
  return path
}

/**
 * A new shape. `marked` puts the timestamp placeholder in `meta` (bench bots' shapes); seeded
 * board content has none, so it never counts as a delivery.
 */
export function makeShape(kind: ShapeKind, id: string, n: number, random: () => number, marked: boolean): BenchRecord {
  const color = COLORS[Math.floor(random() * COLORS.length)]!
  const base = {
    id,
    typeName: 'shape' as const,
    type: kind,
    parentId: 'page:page',
    index: fractionalIndex(n % 3000),
    x: Math.round(random() * 4000),
    y: Math.round(random() * 3000),
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: (marked ? { bench: MARKER_PLACEHOLDER } : {}) as Record<string, string>,
  }
  if (kind === 'geo') {
    return {
      ...base,
      props: {
        geo: 'rectangle',
        dash: 'draw',
        url: '',
        w: 160 + Math.round(random() * 200),
        h: 100 + Math.round(random() * 120),
        growY: 0,
        scale: 1,
        labelColor: 'black',
        color,
        fill: 'semi',
        size: 'm',
        font: 'draw',
        align: 'middle',
        verticalAlign: 'middle',
        richText: richText(words(random, 3)),
        flipX: false,
        flipY: false,
      },
    }
  }
  if (kind === 'note') {
    return {
      ...base,
      props: {
        color,
        labelColor: 'black',
        size: 'm',
        font: 'draw',
        fontSizeAdjustment: 0,
        align: 'middle',
        verticalAlign: 'middle',
        growY: 0,
        url: '',
        richText: richText(words(random, 6)),
        scale: 1,
        textLastEditedBy: null,
      },
    }
  }
  return {
    ...base,
    props: {
      color,
      fill: 'none',
      dash: 'draw',
      size: 'm',
      segments: [{ type: 'free', path: drawPath(random, 40 + Math.floor(random() * 120)) }],
      isComplete: true,
      isClosed: false,
      isPen: false,
      scale: 1,
      scaleX: 1,
      scaleY: 1,
    },
  }
}

export const moved = (record: BenchRecord, dx: number, dy: number): BenchRecord => ({ ...record, x: record.x + dx, y: record.y + dy })

/** One keystroke in a note or geo label: the whole record is written again, as tldraw does. */
export function typed(record: BenchRecord, char: string): BenchRecord {
  const current = record.props.richText as ReturnType<typeof richText> | undefined
  const text = current?.content[0]?.content[0]?.text ?? ''
  const next = text.length > 120 ? char : text + char
  return { ...record, props: { ...record.props, richText: richText(next) } }
}
