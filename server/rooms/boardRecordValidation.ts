import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'

/**
 * tldraw's own record validators, run on the server. Imported from `@tldraw/tlschema` and
 * `@tldraw/validate`, never from `tldraw`: that package opens a BroadcastChannel at module load
 * and keeps a Node process alive (see ../shared/STACK.md).
 */

export interface RecordLimits {
  /** Largest JSON size of one record. */
  maxRecordBytes: number
  /** Deepest nesting of objects and arrays in one record. */
  maxRecordDepth: number
}

/**
 * Record types that belong on the shared board. Session records (camera, instance, pointer,
 * presence) stay on each device; `user` records would name people.
 */
const BOARD_TYPE_NAMES = new Set(['document', 'page', 'shape', 'binding', 'asset'])

let schema: TLSchema | null = null

/** Built on first use: ~15 ms, and only servers that receive board edits need it. */
function boardSchema(): TLSchema {
  schema ??= createTLSchema({
    shapes: {
      ...defaultShapeSchemas,
      // Must match client/board/IdeaCardShape.tsx.
      [IDEA_CARD_TYPE]: { props: { ideaId: T.string, w: T.number, h: T.number } },
    },
    bindings: defaultBindingSchemas,
  })
  return schema
}

/**
 * Returns why `record` may not go on the board, or null. Size and depth are checked first and
 * without recursion: tldraw's validators and JSON.stringify recurse, and a record nested a few
 * thousand levels deep must be refused, not overflow the stack on every later encode.
 */
export function checkBoardRecord(record: object, limits: RecordLimits): string | null {
  if (!depthWithin(record, limits.maxRecordDepth)) return 'a board record is nested too deeply'
  if (JSON.stringify(record).length > limits.maxRecordBytes) return 'a board record is too large'
  const { typeName } = record as { typeName?: unknown }
  if (typeof typeName !== 'string' || !BOARD_TYPE_NAMES.has(typeName)) return 'that kind of record is not shared on the board'
  const type = boardSchema().types[typeName as keyof TLSchema['types']]
  try {
    type.validate(record)
  } catch {
    // tldraw's message quotes the value it refused ("got \"javascript:…\""): it would carry a
    // hostile participant's content into logs and close frames, so it is never passed on.
    return 'not a valid tldraw record'
  }
  // tldraw can record who last edited a note's text; on this board nobody is named.
  const props = (record as { props?: Record<string, unknown> }).props
  if (props && 'textLastEditedBy' in props && props.textLastEditedBy !== null) return 'board records carry no author'
  return null
}

/** Whether objects and arrays in `value` nest at most `maxDepth` levels (iterative). */
function depthWithin(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth > maxDepth) return false
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return true
}
