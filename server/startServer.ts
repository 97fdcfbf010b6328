import { serve, type ServerType } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp } from './app.ts'
import type { Config } from './config.ts'
import { describeError, type Logger } from './logger.ts'
import { RoomRegistry } from './rooms/RoomRegistry.ts'
import { WorkshopService } from './services/WorkshopService.ts'
import { IdeaService } from './services/IdeaService.ts'
import { SectionService } from './services/SectionService.ts'
import { IdeaStore } from './storage/IdeaStore.ts'
import { VoteStore } from './storage/VoteStore.ts'
import { ConsentStore } from './storage/ConsentStore.ts'
import { VoteService } from './services/VoteService.ts'
import { ConsentService } from './services/ConsentService.ts'
import { ExportService } from './services/ExportService.ts'
import { WellbeingService } from './services/WellbeingService.ts'
import { ThemeService } from './services/ThemeService.ts'
import { WellbeingStore } from './storage/WellbeingStore.ts'
import { createBoardGuard } from './rooms/boardGuard.ts'
import { guardHttpServer, httpServerOptions } from './ws/connectionGuards.ts'
import type { Db } from './storage/database.ts'
import { openStorage } from './storage/openStorage.ts'
import { statementLoggingRisks } from './storage/postgres/statementLogging.ts'
import { DocStore } from './storage/DocStore.ts'
import { UpdateWriter } from './storage/UpdateWriter.ts'
import { WorkshopStore } from './storage/WorkshopStore.ts'
import { RetentionStore } from './storage/RetentionStore.ts'
import { WorkshopEraser } from './storage/WorkshopEraser.ts'
import { ERASED_TABLES, LifecycleService } from './services/LifecycleService.ts'
import { DeferredVacuum, ERASE_VACUUM_LOCK, SCRUB_VACUUM_LOCK } from './storage/DeferredVacuum.ts'
import { ExportOptOutService } from './services/ExportOptOutService.ts'
import { ExportOptOutStore } from './storage/ExportOptOutStore.ts'
import { SectionEraser } from './storage/SectionEraser.ts'
import { CONTRIBUTION_TABLES, scrubWorkshop, walStuck } from './storage/diskHygiene.ts'
import { SecretStore } from './storage/SecretStore.ts'
import { wireCoproduction } from './services/coproduction.ts'
import { randomBytes } from 'node:crypto'
import { WsGateway } from './ws/WsGateway.ts'
import { Bus } from './cluster/Bus.ts'
import { Cluster } from './cluster/Cluster.ts'
import { Ownership } from './cluster/Ownership.ts'
import { clientAddress } from './http/clientIdentity.ts'
import { PostgresDb } from './storage/postgres/PostgresDb.ts'
import type { Storage } from './storage/openStorage.ts'
import { DocumentWorker } from './export/DocumentWorker.ts'

export interface RunningServer {
  url: string
  port: number
  db: Db
  rooms: RoomRegistry
  /** Canvas edits waiting for (or failing to reach) the disk. */
  writer: UpdateWriter
  /** Drains: sockets closed with 1012, queued edits written, database closed. */
  close(): Promise<void>
}

/** Wires storage, rooms, services and HTTP, then listens. The one place the graph is built. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const storage = openStorage(config)
  const { db, durable, checkpointer } = storage
  if (storage.kind === 'postgres') {
    const risks = statementLoggingRisks(db)
    // Names the settings only; docs/privacy.md says what to set instead.
    if (risks.length > 0) log.warn('storage.statement_logging', { settings: risks.join('; '), see: 'docs/privacy.md' })
  }
  const ownership = config.redisUrl ? new Ownership(requirePostgres(storage), randomBytes(8).toString('hex')) : null
  const docs = new DocStore(db)
  const writer = new UpdateWriter(
    db,
    docs,
    config.persistFlushMs,
    (error) => log.error('storage.flush_failed', describeError(error)),
    () => durable().catch((error: unknown) => log.error('storage.sync_failed', describeError(error))),
  )
  writer.maxPendingBytes = config.limits.maxUnsavedEditBytes
  checkpointer?.holdWritesWith(() => writer.hold())
  const retention = new RetentionStore(db)
  // One object for every room's guard (each loaded room has one).
  const boardLimits = {
    maxRecordBytes: config.limits.maxBoardRecordBytes,
    maxRecordDepth: config.limits.maxBoardRecordDepth,
    foreignDeletesPerMinute: config.limits.foreignDeletesPerMinute,
    boardBytesPerParticipant: config.limits.boardBytesPerParticipant,
  }
  const rooms = new RoomRegistry(
    {
      db,
      docs,
      writer,
      log,
      messagesPerSecond: config.limits.messagesPerSecond,
      compactAfterUpdates: config.compactAfterUpdates,
      boardGuard: (room) => createBoardGuard(() => room.boardRecords, boardLimits),
      maxBoardBytes: config.limits.maxBoardBytes,
      maxPresenceBytes: config.limits.maxPresenceBytes,
      maxUpdateParts: config.limits.maxUpdateParts,
      inbound: { bytesPerSecond: config.limits.inboundBytesPerSecond, burstBytes: config.limits.maxFrameBytes },
      durable,
    },
    {
      unloadGraceMs: config.roomUnloadGraceMs,
      pingIntervalMs: config.pingIntervalMs,
      compactIntervalMs: config.compactIntervalMs,
      authRecheckMs: config.authRecheckMs,
      ...(storage.changedElsewhere ? { changedElsewhere: storage.changedElsewhere } : {}),
      // Called only after start-up, once `lifecycle` and `workshops` below exist.
      onActivity: (workshopId) => lifecycle.recordActivity(workshopId),
      onGone: (workshopId) => forgetDeleted(workshopId),
      currentActors: (workshopId): ReadonlyMap<string, string> | null => workshops.currentActors(workshopId),
      ...(ownership ? { mayLoad: (workshopId: string) => ownership.place(workshopId).here, verifyHeld: () => ownership.verifySession() } : {}),
    },
  )
  // PostgreSQL: the rewrite of what deletions and scrubs freed runs later, coalesced, off the
  // event loop (DeferredVacuum); what was due before a restart is marked in the database.
  const deferredVacuum = (tables: readonly string[], intervalMs: number, lockId: number, event: string) =>
    storage.kind === 'postgres' && config.databaseUrl ? new DeferredVacuum({ db, databaseUrl: config.databaseUrl, tables, intervalMs, lockId, event, log }) : undefined
  const eraseVacuum = deferredVacuum(ERASED_TABLES, config.eraseVacuumIntervalMs, ERASE_VACUUM_LOCK, 'storage.erase_vacuum')
  const scrubVacuum = deferredVacuum(CONTRIBUTION_TABLES, config.scrubVacuumIntervalMs, SCRUB_VACUUM_LOCK, 'storage.scrub_vacuum')
  eraseVacuum?.startUp()
  scrubVacuum?.startUp()
  const lifecycle = new LifecycleService({
    db,
    eraser: new WorkshopEraser(db),
    ...(eraseVacuum ? { eraseVacuum } : {}),
    retention,
    rooms,
    log,
    defaultRetentionDays: config.retentionDays,
    sliceMs: config.purgeSliceMs,
    checkpointer,
    // Called only after start-up, once everything it names below exists.
    onDeleted: (workshopId) => forgetDeleted(workshopId),
  })
  lifecycle.start(config.purgeIntervalMs)
  const workshopStore = new WorkshopStore(db)
  const workshops = new WorkshopService({ db, workshops: workshopStore, docs, rooms, limits: config.limits })
  const ideaStore = new IdeaStore(db)
  const scrub = scrubWorkshop(db, (workshopId) => rooms.foldStateHistory(workshopId), walStuck(log), scrubVacuum)
  // `votes` is made below; this runs only after a facilitator's hide or merge.
  const ideas = new IdeaService({ ideas: ideaStore, rooms, limits: config.limits, batchIntervalMs: config.ideaBatchIntervalMs, log, scrub, ...(storage.kind === 'sqlite' ? { scrubTakenBack: scrub } : {}), ideasLeftVote: (workshopId, sectionId) => votes.itemsChanged(workshopId, sectionId), held: (workshopId, day) => workshopStore.markHeld(workshopId, day) })
  const voteStore = new VoteStore(db)
  const votes = new VoteService({ rooms, votes: voteStore, ideas: ideaStore, minResultGroup: config.minResultGroup, scrub })
  const consent = new ConsentService({ rooms, consent: new ConsentStore(db), ideas: ideaStore, minResultGroup: config.minResultGroup, scrub })
  const sections = new SectionService({ rooms, ideas: ideaStore, votes, limits: config.limits, waitingToShow: (room, sectionId) => ideas.waitingToShow(room, sectionId), dropWordChanges: (room, sectionId) => ideas.dropWordChanges(room, sectionId), sectionRows: new SectionEraser(db), sectionRemoved: (workshopId, sectionId) => ideas.forgetSection(workshopId, sectionId), held: (workshopId, day) => workshopStore.markHeld(workshopId, day) })
  const optOutStore = new ExportOptOutStore(db)
  const exportOptOuts = new ExportOptOutService({ ideas: ideaStore, optOuts: optOutStore })
  const exports = new ExportService({ rooms, workshops: workshopStore, leftOut: (workshopId) => exportOptOuts.leftOut(workshopId) })
  const wellbeing = new WellbeingService({ rooms, store: new WellbeingStore(db), ideas: ideaStore, log, noteChanged: (actor, sectionId, ideaId) => ideas.noteChanged(actor, sectionId, ideaId) })
  const deviceSecret = new SecretStore(db).get('device-cookie')
  const coproduction = wireCoproduction(db, {
    ...{ rooms, workshopStore, ideaStore, exports, minResultGroup: config.minResultGroup, checkoutBatchDelayMs: config.checkoutBatchDelayMs },
    settleJoinCounts: (workshopId) => workshops.settleJoinCounts(workshopId),
  })
  const themes = new ThemeService({ rooms })
  /**
   * Everything kept in memory about a workshop, one list: when it was deleted (here, by the purge
   * or by another process), and when another instance may hold it now (`deleted` false: check-out
   * batches ready to write are still written, by whichever instance holds them).
   */
  const forgetWorkshop = (workshopId: string, deleted: boolean) => {
    exports.forget(workshopId)
    ideas.forgetWorkshop(workshopId)
    consent.forgetWorkshop(workshopId)
    wellbeing.forgetWorkshop(workshopId)
    exportOptOuts.forgetWorkshop(workshopId)
    if (deleted) coproduction.checkouts.forget(workshopId)
    else coproduction.checkouts.forgetWaiting(workshopId)
    workshops.forgetJoinCounts(workshopId)
  }
  const forgetDeleted = (workshopId: string) => forgetWorkshop(workshopId, true)
  if (ownership)
    // The database session went, and every workshop lock with it: another instance may hold them
    // now. Nothing here may act on them (a second owner's ballots doubled a budget), and what is
    // kept in memory about their people is stale.
    // Runs inside whatever first noticed (an acquire, perhaps in a request): nothing here writes.
    ownership.onLost = (workshopIds) => {
      rooms.relinquishAll()
      for (const workshopId of workshopIds) forgetWorkshop(workshopId, false)
      log.warn('cluster.ownership_lost', { workshops: workshopIds.length })
    }
  const gateway = new WsGateway(config, log, rooms, workshops)
  const cluster = ownership ? await joinCluster(config, log, ownership, gateway, new SecretStore(db).get('cluster-bus')) : undefined
  const health = storageHealth(storage, writer)
  const documents = new DocumentWorker()
  const { app, sockets } = createApp({
    ...{ config, log, rooms, workshops, ideas, sections, votes, consent, exports, wellbeing, coproduction, lifecycle, exportOptOuts, themes },
    ...{ storage: health, durable, deviceSecret, gateway, documents, ...(cluster ? { cluster } : {}) },
  })
  cluster?.attach((request, env) => app.fetch(request, env))

  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: httpServerOptions(config.limits.preAuthTimeoutMs) },
      () => resolve(s),
    )
  })
  // A client that opens TCP and never finishes its request head is dropped (pre-auth deadline).
  guardHttpServer(server as Server, config.limits.preAuthTimeoutMs)
  sockets.attach(server as Server, app)
  const port = (server.address() as AddressInfo).port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  log.info('server.listening', { url })

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    db,
    rooms,
    writer,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        void cluster?.close()
        coproduction.checkouts.writeReady()
        ideas.stop()
        lifecycle.stop()
        void eraseVacuum?.stop()
        void scrubVacuum?.stop()
        wellbeing.stop()
        documents.close()
        rooms.shutdown()
        writer.stop()
        // Only when the disk refused the final flush: these edits live on in the clients only.
        if (writer.pending > 0) log.error('storage.unsaved_at_shutdown', { updates: writer.pending })
        sockets.terminateAll()
        server.close(() => {
          void storage.close().finally(resolve)
        })
        if ('closeAllConnections' in server) server.closeAllConnections()
      })),
  }
}

/** Several instances share PostgreSQL; SQLite is one process's file. */
function requirePostgres(storage: Storage): PostgresDb {
  if (!(storage.db instanceof PostgresDb)) throw new Error('REDIS_URL needs DATABASE_URL: instances share their data through PostgreSQL.')
  return storage.db
}

/** Connects to Redis and the other instances; start-up waits until the bus is up. */
async function joinCluster(config: Config, log: Logger, ownership: Ownership, gateway: WsGateway, busSecret: Buffer): Promise<Cluster> {
  // Every instance on this database reads the same secret: it seals what they say over Redis.
  const bus = new Bus(config.redisUrl!, ownership.instanceId, log, busSecret)
  await bus.ready()
  log.info('cluster.joined', { instanceId: ownership.instanceId })
  return new Cluster(bus, ownership, gateway, log, (c) => clientAddress(c, config.trustProxyHops), config.limits.maxBodyBytes)
}

/**
 * `/healthz`'s storage line: edits failing to save, or (PostgreSQL) the database out of reach.
 * The database is asked at most once a second (every 2 s while it fails): balancers poll often,
 * and each probe holds the event loop for a round trip.
 */
function storageHealth(storage: Storage, writer: UpdateWriter): { readonly failing: boolean } {
  const probe = storage.kind === 'postgres' ? storage.db.prepare('SELECT 1 AS ok') : null
  let checkedAt = -Infinity
  let reachable = true
  return {
    get failing() {
      if (writer.failing) return true
      if (!probe) return false
      const now = performance.now()
      if (now - checkedAt >= (reachable ? 1_000 : 2_000)) {
        checkedAt = now
        try {
          probe.get()
          reachable = true
        } catch {
          reachable = false
        }
      }
      return !reachable
    },
  }
}
