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

describe('Connection liveness', () => {
  function countingSocket(bytesRead?: number) {
    const socket = {
      bufferedAmount: 0,
      bytesRead,
      pings: 0,
      send() {},
      close() {},
      ping() {
        socket.pings += 1
      },
    }
    return socket satisfies SocketLike
  }

  it('is dead at the next ping when nothing at all arrived since the last one', () => {
    const socket = countingSocket(120)
    const connection = new Connection(socket, 'participant:p', 100)
    expect(connection.alive).toBe(true)
    connection.ping()
    expect(socket.pings).toBe(1)
    expect(connection.alive).toBe(false)
  })

  it('counts any bytes read since the ping (a pong or a message) as an answer', () => {
    const socket = countingSocket(120)
    const connection = new Connection(socket, 'participant:p', 100)
    connection.ping()
    socket.bytesRead = 122
    expect(connection.alive).toBe(true)
    connection.ping()
    expect(connection.alive).toBe(false)
  })

  it('takes a reported pong where the transport counts no bytes (a relayed socket)', () => {
    const socket = countingSocket(undefined)
    const connection = new Connection(socket, 'participant:p', 100)
    connection.ping()
    expect(connection.alive).toBe(false)
    connection.markAlive()
    expect(connection.alive).toBe(true)
  })
})

describe('Connection message budget', () => {
  it('allows two seconds of messages at once, then refills at the rate', () => {
    const connection = new Connection(stalledSocket(), 'participant:p', 10, 1000)
    const at = 50_000
    for (let i = 0; i < 20; i++) expect(connection.takeMessageToken(at)).toBe(true)
    expect(connection.takeMessageToken(at)).toBe(false)
    // 100 ms at 10 a second is one more message, and only one.
    expect(connection.takeMessageToken(at + 100)).toBe(true)
    expect(connection.takeMessageToken(at + 100)).toBe(false)
    // However long the pause, never more than the burst.
    for (let i = 0; i < 20; i++) expect(connection.takeMessageToken(at + 600_000)).toBe(true)
    expect(connection.takeMessageToken(at + 600_000)).toBe(false)
  })
})
