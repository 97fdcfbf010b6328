import { loadConfig } from './config.ts'
import { createLogger, describeError } from './logger.ts'
import { startServer } from './startServer.ts'

/** The only process entry: config → logger → server → graceful shutdown. */
let running: Awaited<ReturnType<typeof startServer>>
let log: ReturnType<typeof createLogger>
try {
  const config = loadConfig()
  log = createLogger(config.logLevel)
  running = await startServer(config, log)
} catch (error) {
  // A bad setting or an unreachable database or Redis: one clear line, no stack trace.
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`Parity could not start: ${message.split('\n').map((part) => part.trim()).join(' ')}\n`)
  process.exit(1)
}

let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  log.info('server.stopping', { signal })
  await running.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
process.on('unhandledRejection', (reason) => log.error('process.unhandled_rejection', describeError(reason)))
