import { describe, expect, it } from 'vitest'
import { IDEA_MAX_CHARS } from './ideas.ts'
import { padJson, paddedSize, PADDED_MAX_BYTES, PADDED_MIN_BYTES } from './padding.ts'

const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('padded bodies', () => {
  it('gives every idea the same size, whatever its length or script', () => {
    const ideas = ['Yes', 'x'.repeat(IDEA_MAX_CHARS), '😀'.repeat(IDEA_MAX_CHARS), '"\n'.repeat(IDEA_MAX_CHARS / 2)]
    const sizes = ideas.map((text) => padJson(JSON.stringify({ text })).length)
    expect(new Set(sizes)).toEqual(new Set([PADDED_MIN_BYTES]))
  })

  it('stays the same JSON', () => {
    const body = { response: 'canLiveWith', reason: 'Ça va — “fine”' }
    expect(JSON.parse(decoded(padJson(JSON.stringify(body))))).toEqual(body)
  })

  it('rounds larger bodies up to a power of two, and leaves very large ones alone', () => {
    expect(paddedSize(PADDED_MIN_BYTES + 1)).toBe(2 * PADDED_MIN_BYTES)
    expect(paddedSize(PADDED_MAX_BYTES)).toBe(PADDED_MAX_BYTES)
    expect(paddedSize(PADDED_MAX_BYTES + 1)).toBe(PADDED_MAX_BYTES + 1)
    const large = JSON.stringify({ text: 'y'.repeat(PADDED_MAX_BYTES) })
    expect(decoded(padJson(large))).toBe(large)
  })
})
