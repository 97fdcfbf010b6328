import * as Y from 'yjs'
import { defaultConfig, defaultLimits, type Config } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import type { Connection } from '../../server/rooms/Connection.ts'
import { JoinSnapshot } from '../../server/rooms/JoinSnapshot.ts'
import { encodeSyncUpdate } from '../../server/rooms/protocol.ts'
import { SharedDoc } from '../../server/rooms/SharedDoc.ts'
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
if (env.BENCH_JOIN_SNAPSHOT === '1') installJoinSnapshot()
const running = await startServer(config, silentLogger)
announceReady(running.port)
serveControl(() => running.close())

/**
 * EXPERIMENT, bench only: what joins would cost with server/rooms/JoinSnapshot.ts wired in. The
 * server does not use it yet; this patches two SharedDoc methods at runtime, in this process
 * only, the way the proposed change would: a joiner with an empty doc gets the kept base as
 * sync step 2 and then the updates since as one sync update.
 */
function installJoinSnapshot(): void {
  const proto = SharedDoc.prototype as unknown as {
    receive(connection: Connection, data: Uint8Array): void
    encodeStateFor(stateVector: Uint8Array): Uint8Array
  }
  const snapshots = new WeakMap<SharedDoc, JoinSnapshot>()
  const pendingSince = new WeakMap<SharedDoc, Uint8Array>()
  const snapshotOf = (shared: SharedDoc): JoinSnapshot => {
    let snapshot = snapshots.get(shared)
    if (!snapshot) {
      const created = new JoinSnapshot(() => Y.encodeStateAsUpdate(shared.doc))
      shared.doc.on('update', (update: Uint8Array) => created.record(update))
      snapshots.set(shared, created)
      snapshot = created
    }
    return snapshot
  }
  const encodeStateFor = proto.encodeStateFor
  proto.encodeStateFor = function (this: SharedDoc, stateVector: Uint8Array): Uint8Array {
    if (stateVector.length !== 1 || stateVector[0] !== 0) return encodeStateFor.call(this, stateVector)
    const { state, since } = snapshotOf(this).forEmptyClient()
    if (since) pendingSince.set(this, since)
    return state
  }
  const receive = proto.receive
  proto.receive = function (this: SharedDoc, connection: Connection, data: Uint8Array): void {
    receive.call(this, connection, data)
    const since = pendingSince.get(this)
    if (!since) return
    pendingSince.delete(this)
    connection.send(encodeSyncUpdate(since))
  }
}
