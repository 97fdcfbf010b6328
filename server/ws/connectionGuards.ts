import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/**
 * Node's own timers, for `serve({ serverOptions })`. `headersTimeout` is only enforced when the
 * server's connection check runs (every 30 s by default), so the check runs more often.
 */
export function httpServerOptions(preAuthTimeoutMs: number) {
  return {
    headersTimeout: preAuthTimeoutMs,
    requestTimeout: Math.max(30_000, preAuthTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, preAuthTimeoutMs),
  }
}

/**
 * Protections Node's HTTP server lacks for a websocket server facing hostile clients:
 *
 * - Pre-auth deadline. Node's `headersTimeout` only covers a request that has started: a TCP
 *   connection that never sends a byte is kept forever. Each connection gets `preAuthTimeoutMs`
 *   to deliver a complete request head (which carries the token), or it is destroyed.
 * - Errors on sockets being upgraded. Node removes its error handler before emitting
 *   'upgrade', and the upgrade is answered asynchronously; a client that resets the connection
 *   in between used to raise an unhandled 'error' event (write ECONNRESET) and kill the process.
 *
 * Must be called before `SocketServer.attach`, so our 'upgrade' listener runs first.
 */
export function guardHttpServer(server: Server, preAuthTimeoutMs: number): void {
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(destroy, preAuthTimeoutMs, socket)
    timer.unref()
    deadlines.set(socket, timer)
    socket.on('close', clearOwnDeadline)
  })
  server.on('request', (request) => clearDeadline(request.socket as Socket))
  server.on('upgrade', (_request, socket: Socket) => {
    clearDeadline(socket)
    // The peer went away mid-handshake (or later: ws adds its own handler once upgraded).
    // Nothing to answer and nothing to log per client: just let the socket go.
    socket.on('error', destroyOwnSocket)
  })
}

// Listeners shared by every connection (`this` is the socket), not closures made per connection.
const deadlines = new WeakMap<Socket, NodeJS.Timeout>()

function clearDeadline(socket: Socket): void {
  const timer = deadlines.get(socket)
  if (!timer) return
  clearTimeout(timer)
  deadlines.delete(socket)
  socket.off('close', clearOwnDeadline)
}

/** `ws` has taken the socket over, with its own error handler: ours can go. */
export function releaseUpgraded(socket: Duplex): void {
  socket.off('error', destroyOwnSocket)
}

function clearOwnDeadline(this: Socket): void {
  clearDeadline(this)
}

function destroy(socket: Socket): void {
  socket.destroy()
}

function destroyOwnSocket(this: Socket): void {
  this.destroy()
}
