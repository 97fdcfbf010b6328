import { Server } from '@hocuspocus/server'
import { announceReady, serveControl } from './control.ts'

/**
 * Hocuspocus 4 with its defaults (flushDelay 0: broadcasts merged per event-loop turn), no
 * extensions. Runs on Node 22 (it requires it); the idle timeout is raised so quiet bench
 * clients are not dropped during long steps.
 */
const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false, timeout: 10 * 60_000 })
await server.listen()
announceReady(server.address.port)
serveControl(() => server.destroy())
