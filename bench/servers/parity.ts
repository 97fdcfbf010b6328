import { defaultConfig, defaultLimits, type Config } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { startServer } from '../../server/startServer.ts'
import { announceReady, serveControl } from './control.ts'

/** Our server, as `npm start` would run it, with a temporary data dir and silent logs. */
const env = process.env
const config: Config = {
  ...defaultConfig,
  port: 0,
  host: '127.0.0.1',
  dataDir: env.BENCH_DATA_DIR ?? './data-bench',
  logLevel: 'silent',
  roomUnloadGraceMs: Number(env.BENCH_UNLOAD_MS ?? defaultConfig.roomUnloadGraceMs),
  limits: {
    ...defaultLimits,
    messagesPerSecond: Number(env.BENCH_MESSAGES_PER_SECOND ?? defaultLimits.messagesPerSecond),
  },
}
const running = await startServer(config, silentLogger)
announceReady(running.port)
serveControl(() => running.close())
