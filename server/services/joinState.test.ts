import { describe, expect, it } from 'vitest'
import type { Room } from '../rooms/Room.ts'
import { stateForJoiner } from './joinState.ts'

describe('the state doc in the join response', () => {
  const roomWith = (bytes: number) => {
    const state = { encodes: 0, encodeState: () => (state.encodes++, new Uint8Array(bytes)) }
    return { room: { state } as unknown as Pick<Room, 'state'>, state }
  }

  it('sends a small doc, and stops encoding a doc over the limit for a minute', () => {
    const small = roomWith(10)
    expect(stateForJoiner(small.room, 100, 0)).toBe(Buffer.from(new Uint8Array(10)).toString('base64'))
    const big = roomWith(1_000)
    expect(stateForJoiner(big.room, 100, 0)).toBeNull()
    // Each join after that, within the minute, costs no encode (it cost ~120 ms each at 9,000 ideas).
    for (let at = 1; at < 60_000; at += 5_000) expect(stateForJoiner(big.room, 100, at)).toBeNull()
    expect(big.state.encodes).toBe(1)
    expect(stateForJoiner(big.room, 100, 60_000)).toBeNull()
    expect(big.state.encodes).toBe(2)
  })
})
