import { describe, expect, it } from 'vitest'
import { readOwnAwareness } from './awarenessInbound.ts'
import { decodeAwareness, encodeAwareness, parseMessage, type AwarenessEntry } from './protocol.ts'

const updateOf = (entries: AwarenessEntry[]) => {
  const message = parseMessage(encodeAwareness(entries))
  if (message.type !== 'awareness') throw new Error('not awareness')
  return message.update
}
const entry = (clientId: number, clock = 1, name = `P${clientId}`): AwarenessEntry => ({
  clientId,
  clock,
  stateJson: JSON.stringify({ name, color: '#123456', cursor: [clientId, 2], hidden: false }),
})

describe('readOwnAwareness', () => {
  it('reads exactly what decodeAwareness reads for a single entry', () => {
    const update = updateOf([entry(7, 3)])
    expect(readOwnAwareness(update, null, 8)).toEqual(decodeAwareness(update, 8))
    expect(readOwnAwareness(update, 7, 8)).toEqual(decodeAwareness(update, 8))
  })

  it('keeps only the socket’s own entry from an echo of many', () => {
    const entries = Array.from({ length: 300 }, (_, i) => entry(1000 + i, i + 1, 'ünïcødé ✓'.repeat(i % 3)))
    const update = updateOf(entries)
    expect(readOwnAwareness(update, 1150, 8)).toEqual([entries[150]])
    expect(readOwnAwareness(update, 42, 8)).toEqual([])
  })

  it('keeps the first entries while the socket has not announced itself', () => {
    const entries = Array.from({ length: 20 }, (_, i) => entry(i + 1))
    expect(readOwnAwareness(updateOf(entries), null, 8)).toEqual(entries.slice(0, 8))
  })

  it('keeps removals', () => {
    const removal = { clientId: 5, clock: 9, stateJson: 'null' }
    expect(readOwnAwareness(updateOf([entry(4), removal]), 5, 8)).toEqual([removal])
  })

  it('throws on truncated input instead of reading past the end', () => {
    const update = updateOf([entry(1), entry(2), entry(3)])
    expect(() => readOwnAwareness(update.subarray(0, update.length - 5), 1, 8)).toThrow()
    expect(() => readOwnAwareness(update.subarray(0, update.length - 5), 3, 8)).toThrow()
  })

  it('refuses absurd entry counts', () => {
    expect(() => readOwnAwareness(new Uint8Array([0xff, 0xff, 0xff, 0x7f]), 1, 8)).toThrow(/entries/)
  })
})
