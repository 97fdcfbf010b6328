import { describe, expect, it } from 'vitest'
import { busKey, openBusMessage, sealBusMessage, type BusSenders } from './Bus.ts'

describe('sealed bus messages', () => {
  const key = busKey(Buffer.from('a shared secret for the test'))
  const channel = 'parity:inbox:a'

  it('takes each message once, and none sealed before the receiver started (its counts were empty then)', () => {
    const startedAt = 1_000_000
    const before = sealBusMessage(key, channel, 'recorded before the restart', 'b', 7, startedAt - 5_000)
    const after = sealBusMessage(key, channel, 'sent after', 'b', 1, startedAt + 10)
    const senders: BusSenders = new Map()
    expect(openBusMessage(key, channel, before, senders, startedAt + 20, startedAt)).toBeNull()
    expect(openBusMessage(key, channel, after, senders, startedAt + 20, startedAt)).toBe('sent after')
    expect(openBusMessage(key, channel, after, senders, startedAt + 30, startedAt)).toBeNull()
    // Without a start (as before), the recorded message would have been taken by a fresh receiver.
    expect(openBusMessage(key, channel, before, new Map(), startedAt + 20)).toBe('recorded before the restart')
  })
})
