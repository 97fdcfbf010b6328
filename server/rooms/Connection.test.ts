import { describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/closeCodes.ts'
import { Connection } from './Connection.ts'
import type { SocketLike } from './SocketLike.ts'

/** A peer that never reads: everything sent stays buffered. */
function stalledSocket() {
  const socket = {
    bufferedAmount: 0,
    closedWith: null as number | null,
    send(data: Uint8Array) {
      socket.bufferedAmount += data.length
    },
    close(code: number) {
      socket.closedWith = code
    },
    ping() {},
  }
  return socket satisfies SocketLike
}

describe('Connection backlog', () => {
  it('closes a peer that stopped reading instead of queueing more for it', () => {
    const socket = stalledSocket()
    const connection = new Connection(socket, 'participant:p', 100, 1000)
    connection.send(new Uint8Array(600))
    expect(socket.closedWith).toBeNull()
    connection.send(new Uint8Array(600))
    expect(socket.closedWith).toBe(CloseCode.rateLimited)
    expect(socket.bufferedAmount).toBe(600)
    connection.send(new Uint8Array(1))
    expect(socket.bufferedAmount).toBe(600)
  })
})
