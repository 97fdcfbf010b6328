import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import { describeError, type Logger } from '../logger.ts'
import type { Connection } from './Connection.ts'
import { encodeAwareness } from './protocol.ts'
import { Room, type RoomDeps } from './Room.ts'
import { RoomHeldElsewhere, RoomLoadError } from './roomErrors.ts'
import { SlicedPass } from './SlicedPass.ts'
import { upgradeBoard } from './upgradeBoard.ts'

export interface RoomRegistryOptions {
  unloadGraceMs: number
  pingIntervalMs: number
  /**
   * How often sockets that were sent nothing since the last look get an empty presence message
   * (default 10 s, so none is silent for 20 s). y-websocket drops and re-opens a socket that
   * received no message for 30 s (pings do not count): a quiet state doc reconnected every 33 s.
   */
  keepaliveMs?: number
  /** How often rooms with many stored updates are compacted. */
  compactIntervalMs: number
  /** Longest a periodic compaction may hold the event loop before resting (default 5 ms). */
  compactSliceMs?: number
  /**
   * How often open sockets' credentials are re-checked against storage, for changes made by
   * another process (the operator's CLI, another instance). This process's own deletions close
   * their sockets at once (`discard`).
   */
  authRecheckMs?: number
  /**
   * Whether anyone else may have written to storage since the last call; a re-check pass is
   * skipped when not. Absent: every pass runs. (With 500 loaded workshops and nobody else
   * writing, the passes were two queries per workshop every 2 s, ~3 % of the core in S2.)
   */
  changedElsewhere?: () => boolean
  /** Called when a room is taken or let go: the workshop was active today (retention counts from it). */
  onActivity?: (workshopId: string) => void
  /** A loaded workshop was found deleted by another process: forget what is kept about it. */
  onGone?: (workshopId: string) => void
  /**
   * Each actor that may still hold sockets in a workshop, with the hash of its current key; null
   * when the workshop is gone. One call per workshop per pass, whatever its number of sockets.
   */
  currentActors?: (workshopId: string) => ReadonlyMap<string, string> | null
  /**
   * With several instances: whether this one holds the workshop (claiming it if nobody does).
   * A room is never loaded where it is not held, so two instances never both write one.
   */
  mayLoad?: (workshopId: string) => boolean
  /**
   * Called before each use of a loaded room: lets ownership notice that its database session,
   * and with it every workshop lock, was lost, and call `relinquishAll` before a room here acts
   * on a workshop another instance may hold now.
   */
  verifyHeld?: () => void
}

const DEFAULT_KEEPALIVE_MS = 10_000
/** An awareness message naming nobody: y-websocket counts it as a message and changes nothing. */
const KEEPALIVE_FRAME = encodeAwareness([])


/**
 * Loads a room on first use and unloads it once nothing has held it for the grace period.
 * Also runs the ping loop that drops sockets which stopped answering.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  private readonly pingTimer: NodeJS.Timeout
  private readonly compactTimer: NodeJS.Timeout
  private readonly keepaliveTimer: NodeJS.Timeout
  private readonly compacting: SlicedPass<Room>
  private readonly keeping: SlicedPass<Room>
  private readonly pinging: SlicedPass<Room>
  private readonly rechecking: SlicedPass<string>
  private readonly authTimer: NodeJS.Timeout | null
  private readonly log: Logger

  constructor(
    private readonly deps: RoomDeps,
    private readonly options: RoomRegistryOptions,
  ) {
    this.log = deps.log
    // Unloaded meanwhile: unloading compacted it already, and it has no sockets left.
    const loaded = (room: Room) => this.rooms.get(room.workshopId) === room
    // A failed room waits for the next pass; storage errors are logged, never thrown from a timer.
    const failed = (event: string) => (item: Room | string, error: unknown) =>
      this.log.error(event, { workshopId: typeof item === 'string' ? item : item.workshopId, ...describeError(error) })
    this.compacting = new SlicedPass<Room>((room) => {
      // A snapshot written from a room whose workshop is now held elsewhere would trim the new owner's updates.
      this.options.verifyHeld?.()
      if (!loaded(room)) return false
      try {
        if (room.compactStep()) return true
      } catch (error) {
        this.log.error('room.compact_failed', { workshopId: room.workshopId, ...describeError(error) })
      }
      room.trimMemory()
      return false
    }, failed('room.compact_failed'), options.compactSliceMs)
    this.pinging = new SlicedPass<Room>((room) => {
      if (loaded(room)) this.pingRoom(room)
    }, failed('room.ping_failed'))
    this.rechecking = new SlicedPass<string>((workshopId) => this.recheck(workshopId), failed('room.recheck_failed'))
    this.keeping = new SlicedPass<Room>((room) => {
      if (!loaded(room)) return
      for (const shared of [room.board, room.state]) shared.forEachConnection((connection) => connection.keepAlive(KEEPALIVE_FRAME))
    }, failed('room.keepalive_failed'))
    this.pingTimer = setInterval(() => this.pinging.start(this.rooms.values()), options.pingIntervalMs)
    this.compactTimer = setInterval(() => this.compacting.start(this.rooms.values()), options.compactIntervalMs)
    this.keepaliveTimer = setInterval(() => this.keeping.start(this.rooms.values()), options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS)
    this.pingTimer.unref()
    this.compactTimer.unref()
    this.keepaliveTimer.unref()
    this.authTimer = options.authRecheckMs ? setInterval(() => this.startRecheck(), options.authRecheckMs) : null
    this.authTimer?.unref()
  }

  get loadedCount(): number {
    return this.rooms.size
  }

  isLoaded(workshopId: string): boolean {
    return this.rooms.has(workshopId)
  }

  /**
   * Returns the room, loading it if needed, and counts the caller as a holder. `use`: whether this
   * counts as someone using the workshop (it moves the day it is deleted on; LifecycleService).
   */
  acquire(workshopId: string, use = true): Room {
    this.options.verifyHeld?.()
    const timer = this.unloadTimers.get(workshopId)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(workshopId)
    }
    let room = this.rooms.get(workshopId)
    if (!room) {
      if (this.options.mayLoad && !this.options.mayLoad(workshopId)) throw new RoomHeldElsewhere('This workshop is held by another server right now. Please try again in a moment.')
      room = new Room(workshopId, this.deps)
      try {
        room.load()
        // Older saved boards are brought up to date before anyone uses them.
        upgradeBoard(room)
      } catch (error) {
        // Never open over unreadable data: an empty doc would be saved over it on the next edit.
        // (Nor over data that could not be brought up to date: memory may then differ from disk.)
        this.log.error('room.load_failed', { workshopId, ...describeError(error) })
        throw new RoomLoadError('This workshop could not be opened because its saved data is unreadable.')
      }
      this.rooms.set(workshopId, room)
    }
    room.holders += 1
    if (use) this.options.onActivity?.(workshopId)
    return room
  }

  release(room: Room, use = true): void {
    room.holders -= 1
    if (room.discarded) return
    if (use) this.options.onActivity?.(room.workshopId)
    if (room.poisoned) return this.evict(room)
    if (room.holders > 0 || this.unloadTimers.has(room.workshopId)) return
    const timer = setTimeout(() => this.unload(room.workshopId), this.options.unloadGraceMs)
    timer.unref()
    this.unloadTimers.set(room.workshopId, timer)
  }

  /** See Room.foldStateHistory. A room not loaded here has nothing unfolded from this instance. */
  foldStateHistory(workshopId: string): void {
    // It deletes every stored update of the doc: never from a room another instance may hold now.
    this.options.verifyHeld?.()
    this.rooms.get(workshopId)?.foldStateHistory()
  }

  /** Runs `work` with the room held, so it cannot unload half-way. */
  withRoom<T>(workshopId: string, work: (room: Room) => T, use = true): T {
    const room = this.acquire(workshopId, use)
    try {
      return work(room)
    } finally {
      this.release(room, use)
    }
  }

  /**
   * Reads a workshop's state doc wherever it is: in its room here, or, when another instance
   * holds the workshop, as storage has it (the state doc is written in the same transaction as
   * each change, so storage is never behind the owner). Programme pages, the evidence pack and
   * share links read many workshops from any instance, and answered 503 for those held elsewhere.
   * `use`: whether the reader is someone in the workshop; a share link's visitor or a programme's
   * lead reading it kept it from being deleted for ever (December review).
   */
  readState<T>(workshopId: string, read: (doc: Y.Doc) => T, use = false): T {
    try {
      return this.withRoom(workshopId, (room) => read(room.state.doc), use)
    } catch (error) {
      if (!(error instanceof RoomHeldElsewhere)) throw error
    }
    const doc = new Y.Doc()
    try {
      const { updates } = this.deps.docs.load(workshopId, DocName.state)
      if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates))
      return read(doc)
    } finally {
      doc.destroy()
    }
  }

  /** Drops a room whose memory may differ from disk; clients reconnect and load it afresh. */
  private evict(room: Room): void {
    if (this.rooms.get(room.workshopId) !== room) return
    this.rooms.delete(room.workshopId)
    room.closeAll(CloseCode.internal, 'reloading the workshop')
    this.log.error('room.evicted', { workshopId: room.workshopId })
  }

  /**
   * The workshop was deleted: close its sockets with a final code and drop the room without
   * saving it (unloading would write a snapshot of what was just deleted), and its edits still
   * queued for storage with it, whichever way the deletion was noticed (here, or by the re-check
   * when another process deleted it).
   */
  discard(workshopId: string): void {
    this.deps.writer.discard(workshopId)
    const timer = this.unloadTimers.get(workshopId)
    if (timer) clearTimeout(timer)
    this.unloadTimers.delete(workshopId)
    const room = this.rooms.get(workshopId)
    if (!room) return
    this.rooms.delete(workshopId)
    room.discarded = true
    room.closeAll(CloseCode.workshopDeleted, 'this workshop was deleted')
  }

  /**
   * Ownership was lost with the database session: another instance may hold any of these
   * workshops now. Every socket closes with 1012 (clients reconnect, through the owner) and the
   * rooms are dropped without a snapshot: one written from here could trim the new owner's
   * updates. Queued edits are stored by the writer's own timer (appended updates merge wherever
   * the doc is loaded); nothing is written here, as this may run inside another's transaction.
   */
  relinquishAll(): void {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    const rooms = [...this.rooms.values()]
    this.rooms.clear()
    for (const room of rooms) {
      room.discarded = true
      room.closeAll(CloseCode.serviceRestart, 'please reconnect')
    }
  }

  /** Drain: close every socket with 1012 (clients reconnect), write everything, compact. */
  shutdown(): void {
    clearInterval(this.pingTimer)
    clearInterval(this.compactTimer)
    clearInterval(this.keepaliveTimer)
    this.compacting.stop()
    this.pinging.stop()
    this.rechecking.stop()
    if (this.authTimer) clearInterval(this.authTimer)
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    for (const room of this.rooms.values()) room.closeAll(CloseCode.serviceRestart, 'server restarting')
    this.deps.writer.flush()
    this.options.verifyHeld?.()
    this.compactAll()
    this.rooms.clear()
  }

  private unload(workshopId: string): void {
    this.unloadTimers.delete(workshopId)
    // Its snapshot replaces every stored update: never from a room whose workshop may be held elsewhere now.
    this.options.verifyHeld?.()
    const room = this.rooms.get(workshopId)
    if (!room || room.holders > 0) return
    this.rooms.delete(workshopId)
    try {
      room.compact(true)
    } catch (error) {
      // The updates stay stored; the next load reads them as they are.
      this.log.error('room.compact_failed', { workshopId, ...describeError(error) })
    }
  }

  private compactAll(): void {
    for (const room of this.rooms.values()) {
      try {
        room.compact(true)
      } catch (error) {
        this.log.error('room.compact_failed', { workshopId: room.workshopId, ...describeError(error) })
      }
    }
  }

  private startRecheck(): void {
    // Also notices a lost database session while only sockets use the rooms.
    this.options.verifyHeld?.()
    // Asked only when a pass can start: a change seen now is covered by the pass it starts, and
    // one made during a pass is still unseen at the next tick.
    if (this.rechecking.running || this.options.changedElsewhere?.() === false) return
    this.rechecking.start(this.rooms.keys())
  }

  /** Closes sockets whose actor lost access since they opened; a deleted workshop's room is discarded. */
  recheck(workshopId: string): void {
    const room = this.rooms.get(workshopId)
    const currentActors = this.options.currentActors
    if (!room || !currentActors) return
    const actors = currentActors(workshopId)
    // Gone, e.g. deleted by another process (the operator's `npm run admin -- delete`): what is
    // kept in memory about it goes too, as after a delete here.
    if (actors === null) {
      this.discard(workshopId)
      this.options.onGone?.(workshopId)
      return
    }
    for (const shared of [room.board, room.state]) {
      const revoked: Connection[] = []
      shared.forEachConnection((connection) => {
        if (!connection.holdsCredential(actors.get(connection.actorKey))) revoked.push(connection)
      })
      for (const connection of revoked) {
        connection.close(CloseCode.unauthorized, 'access was withdrawn')
        shared.disconnect(connection)
      }
    }
  }

  private pingRoom(room: Room): void {
    for (const shared of [room.board, room.state]) {
      shared.forEachConnection((connection) => {
        if (!connection.alive) {
          connection.close(CloseCode.timeout, 'no answer to ping')
          shared.disconnect(connection)
          return
        }
        connection.ping()
      })
    }
  }
}
