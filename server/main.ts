import { loadConfig } from './config.ts'
import { createLogger, describeError } from './logger.ts'
import { startServer } from './startServer.ts'

/** The only process entry: config → logger → server → graceful shutdown. */
const config = loadConfig()
const log = createLogger(config.logLevel)
const running = await startServer(config, log)

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
