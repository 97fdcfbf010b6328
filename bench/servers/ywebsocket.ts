import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import { announceReady, serveControl } from './control.ts'

/** The reference server exactly as its own `src/server.js` wires it (no persistence), on port 0. */
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(0, '127.0.0.1', () => announceReady((server.address() as AddressInfo).port))
serveControl(
  () =>
    new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate()
      server.close(() => resolve())
    }),
)
