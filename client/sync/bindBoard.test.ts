import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createShapeId, createTLStore, defaultShapeUtils, PageRecordType, type TLRecord, type TLShape, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import { IdeaCardShapeUtil, type IdeaCardShape } from '../board/IdeaCardShape.tsx'
import { bindBoard, boardRecords, onlyMoves, type BoardBinding, type MoveDrawer } from './bindBoard.ts'

// Other people's moves drawn without the store (client/board/remoteMoves.ts draws them in the
// browser; tests/e2e/boardMovingCards.test.ts checks that). Here: when they reach the store.
describe('bindBoard with drawn moves', () => {
  const pageId = PageRecordType.createId('page')
  const cardId = createShapeId('card')
  const otherCardId = createShapeId('other card')
  let store: TLStore
  let doc: Y.Doc
  let records: ReturnType<typeof boardRecords>
  let binding: BoardBinding
  let drawn: string[]
  let released: string[]
  let drawing: boolean

  const card = () => store.get(cardId) as IdeaCardShape
  /** Someone else's change, arriving through the doc. */
  const remote = (change: Partial<IdeaCardShape>, id = cardId) =>
    doc.transact(() => records.set(id, { ...(records.get(id) as IdeaCardShape), ...change } as TLRecord), 'someone else')
  const nextFrame = () => vi.advanceTimersByTime(20)
  /** Long enough for a move to rest (500 ms) and be seen to have rested (checked every 250 ms). */
  const afterRest = () => vi.advanceTimersByTime(800)

  beforeEach(() => {
    // No frames in Node: a frame is a 16 ms timer, on the same fake clock as everything else.
    vi.stubGlobal('requestAnimationFrame', (run: (at: number) => void) => setTimeout(() => run(performance.now()), 16))
    vi.stubGlobal('cancelAnimationFrame', (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    store = createTLStore({ shapeUtils: [...defaultShapeUtils, IdeaCardShapeUtil] })
    const seeded: TLRecord[] = [
      PageRecordType.create({ id: pageId, name: 'Board', index: 'a1' as TLShape['index'] }),
      store.schema.types.shape.create({ id: cardId, type: IDEA_CARD_TYPE, parentId: pageId, index: 'a1' as TLShape['index'], x: 0, y: 0, props: { ideaId: 'idea-1', w: 220, h: 140 } }),
      store.schema.types.shape.create({ id: otherCardId, type: IDEA_CARD_TYPE, parentId: pageId, index: 'a2' as TLShape['index'], x: 0, y: 300, props: { ideaId: 'idea-2', w: 220, h: 140 } }),
    ]
    store.mergeRemoteChanges(() => store.put(seeded))
    doc = new Y.Doc()
    records = boardRecords(doc)
    doc.transact(() => {
      for (const record of seeded) records.set(record.id, record)
    }, 'seed')
    binding = bindBoard(store, doc, records)
    drawn = []
    released = []
    drawing = true
    const drawer: MoveDrawer = {
      draw: (next) => {
        if (drawing) drawn.push(`${next.x},${next.y}`)
        return drawing
      },
      release: (id) => released.push(id),
      stop: () => undefined,
    }
    binding.setDrawer(drawer)
  })
  afterEach(() => {
    binding.stop()
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('draws a move without storing it, and stores it once the card has rested', () => {
    remote({ x: 50, y: 10 })
    nextFrame()
    expect(drawn).toEqual(['50,10'])
    expect(card().x).toBe(0)
    vi.advanceTimersByTime(300)
    expect(card().x).toBe(0)
    afterRest()
    expect([card().x, card().y]).toEqual([50, 10])
    expect(released).toEqual([cardId])
  })

  it('stores a card that keeps moving at least once a second', () => {
    let x = 0
    const stored = new Set<number>()
    for (let ms = 0; ms < 2500; ms += 50) {
      remote({ x: (x += 5) })
      vi.advanceTimersByTime(50)
      stored.add(card().x)
    }
    // Stored twice in 2.5 s of moves, the second time past the first: not at every move, not never.
    expect(stored.size).toBeGreaterThanOrEqual(3)
    expect(stored.size).toBeLessThan(10)
    expect(drawn.length).toBeGreaterThan(40)
  })

  it('puts every drawn move in with the first that has waited a second, as one store change', () => {
    // Each store change is a pass over the whole canvas: two people dragging make one a second.
    const changed: number[] = []
    const stop = store.listen(({ changes }) => changed.push(Object.keys(changes.updated).length), { source: 'remote', scope: 'document' })
    let x = 0
    for (let ms = 0; ms < 3000; ms += 50) {
      remote({ x: (x += 5) })
      if (ms >= 300) remote({ x: x + 1 }, otherCardId)
      vi.advanceTimersByTime(50)
    }
    stop()
    expect(changed.length).toBeGreaterThanOrEqual(2)
    expect(changed.every((cards) => cards === 2)).toBe(true)
  })

  it('stores at once a change that is more than a move, giving the drawn card back first', () => {
    remote({ x: 50 })
    nextFrame()
    remote({ x: 60, props: { ideaId: 'idea-1', w: 300, h: 140 } })
    nextFrame()
    expect(released).toEqual([cardId])
    expect(card().x).toBe(60)
    expect(card().props.w).toBe(300)
  })

  it('stores drawn moves at once when this person is about to use the canvas, or pauses it', () => {
    remote({ x: 50 })
    nextFrame()
    binding.settleMoves()
    expect(card().x).toBe(50)
    remote({ x: 70 })
    nextFrame()
    binding.setHeld(true)
    expect(card().x).toBe(70)
    remote({ x: 90 })
    nextFrame()
    expect(card().x).toBe(70)
    binding.setHeld(false)
    expect(drawn.at(-1)).toBe('90,0')
    afterRest()
    expect(card().x).toBe(90)
  })

  it('starts a change made here from where the card is drawn, so it does not move back for everyone', () => {
    remote({ x: 50, y: 20 })
    nextFrame()
    store.put([{ ...card(), props: { ideaId: 'idea-1', w: 260, h: 140 } }])
    expect([card().x, card().y]).toEqual([50, 20])
    const inDoc = records.get(cardId) as IdeaCardShape
    expect([inDoc.x, inDoc.y, inDoc.props.w]).toEqual([50, 20, 260])
    expect(released).toEqual([cardId])
  })

  it('stores a move the canvas cannot draw on the next frame', () => {
    drawing = false
    remote({ x: 40 })
    nextFrame()
    expect(card().x).toBe(40)
  })

  it('counts only a change of place or turn as a move', () => {
    const current = card()
    expect(onlyMoves(current, { ...current, x: 1, y: 2, rotation: 0.5 })).toBe(true)
    expect(onlyMoves(current, { ...current, x: 1, parentId: createShapeId('frame') })).toBe(false)
    expect(onlyMoves(current, { ...current, x: 1, meta: { moved: true } })).toBe(false)
    expect(onlyMoves(current, { ...current, props: { ...current.props } })).toBe(true)
    expect(onlyMoves(store.get(pageId)!, store.get(pageId)!)).toBe(false)
    // Nowhere is not a place: what the store would refuse is not drawn.
    expect(onlyMoves(current, { ...current, x: Number.NaN })).toBe(false)
    expect(onlyMoves(current, { ...current, y: Number.POSITIVE_INFINITY })).toBe(false)
    expect(onlyMoves(current, { ...current, x: '12' as unknown as number })).toBe(false)
  })
})
