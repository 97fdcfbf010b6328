import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { DocName } from '../../shared/docs.ts'
import { newPresenceKey, requestedPresenceKey, sanitisePresence } from '../../shared/presence.ts'
import { describeError, type Logger } from '../logger.ts'
import { ByteBudget } from './ByteBudget.ts'
import { Connection } from './Connection.ts'
import { readOwnAwareness } from './awarenessInbound.ts'
import { FanoutTick, type SlowPeerSink } from './FanoutTick.ts'
import { JoinSnapshot, type FullEncoder } from './JoinSnapshot.ts'
import { ServerDoc } from './ServerDoc.ts'
import {
  type AwarenessEntry,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  parseMessage,
} from './protocol.ts'
import type { SocketLike } from './SocketLike.ts'
import { inspectUpdate, type UpdateInspection } from './updateInspection.ts'
import { scanUpdate, type ScanRefusal } from './updateScan.ts'

/** Origin of server writes that are committed to SQLite before anyone is told. */
export const HELD_ORIGIN = Symbol('held server write')

/** An awareness update may name this many clients; a provider sends one (its own). */
const MAX_AWARENESS_ENTRIES = 8
/**
 * ClientIDs remembered per actor. Each page load makes a new one; without a cap, a token that
 * reconnects in a loop would grow the owner map for as long as the room stays loaded.
 */
const MAX_CLIENT_IDS_PER_ACTOR = 64
/** Near the size limit the exact encoded size is measured at most this often (it costs an encode). */
const SIZE_REMEASURE_MS = 1000
/** Drop a peer whose unsent backlog passes this: it cannot keep up and would grow our memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
/** Structs, values and deleted ranges one update may carry (see updateScan.ts). */
export const DEFAULT_MAX_UPDATE_PARTS = 20_000
/**
 * A sync step 1 with a non-empty state vector costs a full encode of the doc. A provider sends
 * one each time it connects: an actor (over all its sockets, so reconnecting buys nothing) gets
 * a few answers at once and then one per 5 s; a request past that closes the socket (4429).
 */
const SYNC_ANSWERS_BURST = 3
const SYNC_ANSWERS_PER_SECOND = 1 / 5
/**
 * Sync requests from an empty doc answered per socket. A provider sends one when it connects; a
 * socket asking again and again was sent the whole board each time, which cost nothing to build
 * (the join snapshot) but, for a socket carried by another instance, a full-board bus message
 * each: 300 three-byte frames held the owner for 18 s.
 */
const FROM_SCRATCH_ANSWERS_PER_SOCKET = 2
/** State vector entries beyond the doc's own writers that a client may name (writers a crash lost). */
const STATE_VECTOR_SLACK = 256
/**
 * Writers (clientIDs) an actor may bring to a doc that the doc has never seen, per update and
 * over time: each costs every later edit and encode a little, for ever. Honest use brings one per
 * page load, or a few other people's after a server crash; made-up ones, thousands per frame.
 */
const NEW_WRITERS_BURST = 64
const NEW_WRITERS_PER_SECOND = 1 / 5

/** Where a doc's client updates go: the room, which queues them for storage. */
export interface DocSink {
  /** Called for every client update applied (not for held server writes). */
  persistClientUpdate(name: DocName, update: Uint8Array): void
  /** False while storage cannot take more edits (UpdateWriter.full): new content is refused. */
  acceptsWrites(): boolean
}

export interface SharedDocOptions {
  name: DocName
  /**
   * Only the server writes it, and it carries no presence: nobody points at anything on the state
   * doc, so presence sent there is ignored and the doc never needs presence bookkeeping.
   */
  readOnly: boolean
  /** The server's logger (not a child per doc: every loaded room has two docs). */
  log: Logger
  /** For log lines only. */
  workshopId: string
  messagesPerSecond: number
  /** Extra content rules (board guard); returns a reason to refuse (close code 4405 unless given), or null. */
  checkContent?: (inspection: UpdateInspection, doc: Y.Doc, writer: ContentWriter) => string | { reason: string; closeCode: number } | null
  /** Largest encoded size the doc may grow to through client updates (server writes always apply). */
  maxDocBytes?: number
  /** Largest awareness state (JSON characters) a client may announce. */
  maxPresenceBytes?: number
  /** Bytes one actor may send to this doc, over all its sockets: a rate and a burst. */
  inbound?: { bytesPerSecond: number; burstBytes: number }
  /** Structs, values and deleted ranges one client update may carry. */
  maxUpdateParts?: number
}

/** Who is writing an update, for content rules that depend on it. */
export interface ContentWriter {
  /** `participant:<id>` or `facilitator`. */
  actorKey: string
}

interface AwarenessRecord extends AwarenessEntry {
  connection: Connection
}

/**
 * One Yjs document with its sockets: y-protocols sync and awareness, read-only enforcement,
 * clientID binding, and fan-out. Knows nothing about HTTP, SQLite or the socket library.
 */
export class SharedDoc implements SlowPeerSink<Connection>, FullEncoder {
  readonly doc = new ServerDoc(this)
  private readonly connections = new Set<Connection>()
  // The maps below are made on first use: an empty Map still costs ~200 bytes, and the state doc
  // (no presence, no client writes) never needs them.
  private awareness: Map<number, AwarenessRecord> | null = null
  /** The encoded presence list, until presence changes (see presenceList). */
  private presenceFrame: Uint8Array | null = null
  /**
   * clientID → the actor that first wrote or announced under it, in binding order; an actor's
   * ids beyond MAX_CLIENT_IDS_PER_ACTOR are forgotten, oldest first (see forgetOldestId).
   */
  private clientOwners: Map<number, string> | null = null
  /** Exact encoded size at the last measure plus the bytes of every update since; null until measured. */
  private sizeBytes: number | null = null
  private sizeMeasuredAt = 0
  private readonly inbound: ByteBudget | null
  private readonly syncAnswers = new ByteBudget(SYNC_ANSWERS_PER_SECOND, SYNC_ANSWERS_BURST)
  private readonly newWriters = new ByteBudget(NEW_WRITERS_PER_SECOND, NEW_WRITERS_BURST)
  private fullStateCache: Uint8Array | null = null
  /** The updates of the server write under way (`transactHeld`), if any. */
  private held: Uint8Array[] | null = null
  /** What a client joining empty is sent: a base encoding plus the updates since (see JoinSnapshot). */
  private readonly joinSnapshot = new JoinSnapshot(this.doc, undefined, this)
  private readonly fanout = new FanoutTick<Connection>({ peers: this.connections, slowPeers: this, maxBufferedBytes: MAX_BUFFERED_BYTES })

  constructor(
    private readonly options: SharedDocOptions,
    private readonly sink: DocSink,
  ) {
    this.inbound = options.inbound ? new ByteBudget(options.inbound.bytesPerSecond, options.inbound.burstBytes) : null
  }

  writerOf(origin: unknown): number | null {
    return origin instanceof Connection ? origin.clientId : null
  }

  /** Every change to the doc, as Yjs reports it (see ServerDoc). */
  docUpdated(update: Uint8Array, origin: unknown): void {
    this.fullStateCache = null
    this.joinSnapshot.record()
    if (this.sizeBytes !== null) this.sizeBytes += update.length
    if (origin === HELD_ORIGIN) {
      this.held?.push(update)
      return
    }
    this.sink.persistClientUpdate(this.options.name, update)
    this.fanout.addUpdate(update, origin instanceof Connection ? origin : null)
  }

  get name(): DocName {
    return this.options.name
  }

  /** Whether someone's presence is filed under `key` (for tests and diagnostics). */
  hasPresenceKey(key: number): boolean {
    return this.awareness?.has(key) ?? false
  }

  get connectionCount(): number {
    return this.connections.size
  }

  connectionsOf(actorKey: string): number {
    let count = 0
    for (const connection of this.connections) if (connection.actorKey === actorKey) count += 1
    return count
  }

  connect(socket: SocketLike, actorKey: string): Connection {
    const connection = new Connection(socket, actorKey, this.options.messagesPerSecond, MAX_BUFFERED_BYTES)
    this.connections.add(connection)
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
    if (this.awareness && this.awareness.size > 0) connection.send(this.presenceList())
    return connection
  }

  /** A peer whose backlog passed MAX_BUFFERED_BYTES (told by the fan-out tick). */
  dropSlow(connection: Connection): void {
    connection.close(CloseCode.rateLimited, 'connection too slow to keep up')
    this.disconnect(connection)
  }

  disconnect(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    const key = connection.presenceKey
    const record = key === null ? undefined : this.awareness?.get(key)
    // Only forget the entry if it still belongs to this socket: a reconnect may have replaced it.
    if (key !== null && record?.connection === connection) {
      this.awareness!.delete(key)
      this.presenceFrame = null
      this.fanout.addAwareness([{ clientId: key, clock: record.clock + 1, stateJson: 'null' }])
    }
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections]) {
      connection.close(code, reason)
      this.disconnect(connection)
    }
  }

  /** Every live connection, for the ping loop. */
  forEachConnection(visit: (connection: Connection) => void): void {
    for (const connection of this.connections) visit(connection)
  }

  /**
   * Handles one binary frame. Expected refusals close only this socket; nothing here throws
   * to the caller, so one bad peer cannot hurt the others.
   */
  receive(connection: Connection, data: Uint8Array): void {
    // A closed socket still delivers the frames already on the wire. They used to be handled:
    // a flooder's presence came back after its close (and never left), and a refused writer's
    // next updates were applied. Nothing from a socket counts once we have closed it.
    if (connection.isClosed) return
    if (!connection.takeMessageToken() || (this.inbound && !this.inbound.take(connection.actorKey, data.length))) {
      connection.close(CloseCode.rateLimited, 'too many messages')
      this.disconnect(connection)
      return
    }
    try {
      const message = parseMessage(data)
      switch (message.type) {
        case 'syncStep1':
          this.answerSyncStep1(connection, message.stateVector)
          return
        case 'syncUpdate':
          this.receiveUpdate(connection, message.update, message.isStep2)
          return
        case 'awareness':
          if (!this.options.readOnly) this.receiveAwareness(connection, message.update)
          return
        case 'queryAwareness': {
          // Rationed, and one encoding shared until presence changes (December robustness
          // review): one-byte questions drew 400 KB answers, each encoded afresh, and stalled
          // the server for seconds. Providers ask rarely; the answer is the same list anyway.
          const now = Date.now()
          if (now - connection.presenceAnsweredAt < PRESENCE_QUERY_INTERVAL_MS) return
          connection.presenceAnsweredAt = now
          connection.send(this.presenceList())
          return
        }
      }
    } catch (error) {
      // The error's name only: decoder messages can quote the bytes they choked on.
      this.options.log.warn('ws.bad_frame', { workshopId: this.options.workshopId, doc: this.name, bytes: data.length, error: error instanceof Error ? error.name : 'unknown' })
      this.refuse(connection, CloseCode.badFrame, 'malformed message')
    }
  }

  /** Applies a server write without broadcasting it; the caller commits, then `publish`es. */
  transactHeld(change: (doc: Y.Doc) => void): Uint8Array | null {
    const updates: Uint8Array[] = []
    this.held = updates
    try {
      this.doc.transact(() => change(this.doc), HELD_ORIGIN)
    } finally {
      this.held = null
    }
    return updates.length === 0 ? null : Y.mergeUpdates(updates)
  }

  /** Drops spare capacity: the doc's changed struct lists, and sockets' emptied read buffers. */
  trimMemory(): void {
    this.presenceFrame = null
    for (const connection of this.connections) connection.trimMemory()
    this.doc.trimStructLists()
  }

  publish(update: Uint8Array): void {
    this.fanout.addUpdate(update)
  }

  /** Loads stored updates; throws if any is unreadable so the caller can refuse to open. */
  load(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return
    Y.applyUpdate(this.doc, Y.mergeUpdates([...updates]), HELD_ORIGIN)
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) throw new Error('stored document has missing parts')
    this.joinSnapshot.reset()
  }

  encodeState(): Uint8Array {
    this.fullStateCache ??= Y.encodeStateAsUpdate(this.doc)
    return this.fullStateCache
  }

  private answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    const empty = stateVector.length === 1 && stateVector[0] === 0
    // A non-empty state vector costs an encode of its own: a token asking again and again is
    // refused, so a handful of five-byte frames cannot make the server build gigabytes of answers.
    // An empty one is answered from the shared join snapshot (no encode; the send backlog bounds
    // its memory), so people reconnecting on a flaky network are never refused for it.
    if (!empty) {
      // Yjs reads every entry into a map before answering: 500,000 made-up clients (2 MB) held the
      // loop for ~300 ms. An honest vector names the doc's writers, and a few the server lost.
      if (stateVectorEntries(stateVector) > this.doc.store.clients.size + STATE_VECTOR_SLACK)
        return this.refuse(connection, CloseCode.tooLarge, 'state_vector_too_long', { bytes: stateVector.length })
      if (!this.syncAnswers.take(connection.actorKey, 1))
        return this.refuse(connection, CloseCode.rateLimited, 'sync_repeated', { bytes: stateVector.length })
      return connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)))
    }
    if (++connection.fromScratchAnswers > FROM_SCRATCH_ANSWERS_PER_SOCKET) return this.refuse(connection, CloseCode.rateLimited, 'sync_repeated', { bytes: stateVector.length })
    // Joining with an empty doc is the common case (and the join storm): the board is encoded
    // once, not once per joiner, even while people edit. The edits since go first: Yjs holds
    // them as pending until step 2 brings what they build on, so when a provider reports
    // `synced` (on step 2) its doc is already complete.
    const { state, since } = this.joinSnapshot.forEmptyClient()
    if (since) connection.send(framed(since, encodeSyncUpdate))
    connection.send(framed(state, encodeSyncStep2))
  }

  private receiveUpdate(connection: Connection, update: Uint8Array, isStep2: boolean): void {
    // Before Yjs decodes anything: decoding builds an object per struct, which is the cost.
    const scan = scanUpdate(update, this.options.maxUpdateParts ?? DEFAULT_MAX_UPDATE_PARTS, isStep2)
    if (!scan.ok) return this.refuse(connection, SCAN_CLOSE_CODES[scan.code], scan.code, { bytes: update.length })
    const inspection = inspectUpdate(this.doc, update)
    if (!inspection.addsStructs && !inspection.deletesContent && !inspection.missingDependencies) return
    if (this.options.readOnly) return this.refuse(connection, CloseCode.readOnly, `${this.name} is read-only`)
    if (inspection.missingDependencies) return this.refuse(connection, CloseCode.badFrame, 'update refers to unknown content')
    if (inspection.addsStructs && !this.sink.acceptsWrites())
      return this.refuse(connection, CloseCode.storageUnavailable, 'edits cannot be saved right now; they are kept on your device')
    let unseen = 0
    for (const author of inspection.authors) if (!this.doc.store.clients.has(author)) unseen++
    if (unseen > 0 && !this.newWriters.take(connection.actorKey, unseen))
      return this.refuse(connection, CloseCode.tooLarge, 'too_many_writers', { writers: unseen })
    for (const author of inspection.authors) {
      // A reconnecting peer re-sends content it holds from others (after a server crash): allowed
      // in the sync handshake for ids nobody live has claimed; never under another live socket's id.
      const own = this.claimClientId(connection, author, !isStep2)
      if (!own) return this.refuse(connection, CloseCode.readOnly, 'update written under a clientID this socket does not own')
    }
    // Pure deletions only ever shrink the doc, so a full board can still be tidied.
    if (inspection.addsStructs && !this.fits(update.length))
      return this.refuse(connection, CloseCode.tooLarge, `the ${this.name} has reached its size limit`)
    // Last check before applying: the guard keeps books (who created what) for applied updates.
    const refusal = this.options.checkContent?.(inspection, this.doc, { actorKey: connection.actorKey }) ?? null
    if (typeof refusal === 'string') return this.refuse(connection, CloseCode.readOnly, refusal)
    if (refusal) return this.refuse(connection, refusal.closeCode, refusal.reason)
    Y.applyUpdate(this.doc, update, connection)
  }

  /**
   * Whether `incoming` more bytes keep the doc under its limit. An update of n bytes grows the
   * encoded doc by about n at most, so the running sum is an upper bound; only when it crosses
   * the limit is the exact size measured again (rate limited: an encode of a big doc is slow).
   */
  private fits(incoming: number): boolean {
    const limit = this.options.maxDocBytes
    if (limit === undefined) return true
    const now = Date.now()
    if (this.sizeBytes === null || (this.sizeBytes + incoming > limit && now - this.sizeMeasuredAt >= SIZE_REMEASURE_MS)) {
      this.sizeBytes = this.encodeState().length
      this.sizeMeasuredAt = now
    }
    return this.sizeBytes + incoming <= limit
  }

  /**
   * True if `connection` may write under `clientId`. With `bind`, an unbound socket makes the id
   * its own; without, the id only must not belong to another actor (or its live socket), nor the
   * server. A live socket of the same actor holding the id is closed: see below.
   */
  private claimClientId(connection: Connection, clientId: number, bind: boolean): boolean {
    if (clientId === this.doc.clientID) return false
    const owner = this.clientOwners?.get(clientId)
    if (owner !== undefined && owner !== connection.actorKey) return false
    // Someone else's live presence key: writing under it would credit the edits to their nickname.
    const keyHolder = this.awareness?.get(clientId)?.connection
    if (keyHolder && keyHolder.actorKey !== connection.actorKey) return false
    let holder: Connection | null = null
    for (const other of this.connections) if (other !== connection && other.clientId === clientId) holder = other
    if (holder && holder.actorKey !== connection.actorKey) return false
    if (bind && connection.clientId !== null && connection.clientId !== clientId) return false
    // The same page reconnecting (a phone that changed networks) before its old socket timed
    // out: a page has one socket per doc, so the old one is dead and the new one takes over. It
    // used to be refused (4405) for the 30–60 s the ping loop took to notice.
    if (holder) {
      holder.close(CloseCode.replaced, 'replaced by a newer connection from the same page')
      this.disconnect(holder)
    }
    if (connection.clientId === clientId || !bind) return true
    connection.clientId = clientId
    const owners = (this.clientOwners ??= new Map())
    // Moved to the end if it was known: the map's order is the actor's ids, oldest first.
    owners.delete(clientId)
    owners.set(clientId, connection.actorKey)
    this.forgetOldestId(connection.actorKey, owners)
    return true
  }

  /**
   * Past MAX_CLIENT_IDS_PER_ACTOR, forgets the actor's oldest id that no live socket writes
   * under. A scan of the owner map (it is in binding order) rather than a list per actor: binds
   * happen once a socket, and a list per actor cost memory for every participant in every room.
   */
  private forgetOldestId(actorKey: string, owners: Map<number, string>): void {
    if (owners.size <= MAX_CLIENT_IDS_PER_ACTOR) return
    let count = 0
    let oldestIdle: number | null = null
    for (const [id, owner] of owners) {
      if (owner !== actorKey) continue
      count += 1
      if (oldestIdle === null && !this.hasWriter(id)) oldestIdle = id
    }
    if (count > MAX_CLIENT_IDS_PER_ACTOR && oldestIdle !== null) owners.delete(oldestIdle)
  }

  private hasWriter(clientId: number): boolean {
    for (const connection of this.connections) if (connection.clientId === clientId) return true
    return false
  }

  private receiveAwareness(connection: Connection, update: Uint8Array): void {
    const accepted: AwarenessEntry[] = []
    const awareness = (this.awareness ??= new Map())
    // y-websocket providers echo every awareness change they apply: only our own entry is read.
    for (const entry of readOwnAwareness(update, connection.awarenessId, MAX_AWARENESS_ENTRIES)) {
      // Checked before parsing: a megabyte of nested JSON costs the event loop real time to parse.
      if (this.options.maxPresenceBytes !== undefined && entry.stateJson.length > this.options.maxPresenceBytes)
        return this.refuse(connection, CloseCode.tooLarge, 'presence state is too large')
      // One socket speaks for one clientID; entries for any other id are dropped.
      if (connection.awarenessId === null) {
        if (!this.claimClientId(connection, entry.clientId, connection.clientId === null)) continue
        if (connection.clientId !== null && connection.clientId !== entry.clientId) continue
        connection.awarenessId = entry.clientId
      }
      if (entry.clientId !== connection.awarenessId) continue
      // Filed and sent on under the page's presence key, never its clientID (see PresenceKeyed).
      const key = connection.presenceKey
      if (entry.stateJson === 'null') {
        if (key === null) continue
        connection.presenceKey = null
        if (awareness.get(key)?.connection !== connection) continue
        awareness.delete(key)
        accepted.push({ clientId: key, clock: entry.clock, stateJson: 'null' })
        continue
      }
      const state = safeJsonParse(entry.stateJson)
      const presence = sanitisePresence(state, { facilitator: connection.actorKey === 'facilitator' })
      if (!presence) continue
      const filedUnder = this.presenceKeyFor(connection, requestedPresenceKey(state))
      const previous = awareness.get(filedUnder)
      if (previous && entry.clock <= previous.clock) continue
      // A provider announces an empty state on connecting, before the page asks for its key.
      if (key !== null && key !== filedUnder && awareness.get(key)?.connection === connection) {
        awareness.delete(key)
        accepted.push({ clientId: key, clock: entry.clock, stateJson: 'null' })
      }
      connection.presenceKey = filedUnder
      const record = { clientId: filedUnder, clock: entry.clock, stateJson: JSON.stringify(presence), connection }
      awareness.set(filedUnder, record)
      accepted.push(record)
    }
    if (accepted.length === 0) return
    this.presenceFrame = null
    this.fanout.addAwareness(accepted, connection)
  }

  /** Everyone's presence as one awareness message, encoded once per change (joins and questions share it). */
  private presenceList(): Uint8Array {
    return (this.presenceFrame ??= encodeAwareness(this.awareness ? [...this.awareness.values()] : []))
  }

  /**
   * The key a socket's presence is filed under: the one its page asked for, unless that could
   * mislead (a clientID that wrote to the doc, or another participant's live presence); then a
   * random one (the page will see its own pointer among others', a small harm next to a wrong one).
   */
  private presenceKeyFor(connection: Connection, requested: number | null): number {
    if (connection.presenceKey !== null && (requested === null || requested === connection.presenceKey)) return connection.presenceKey
    const usable = (key: number) => {
      if (key === this.doc.clientID || this.clientOwners?.has(key) || this.doc.store.clients.has(key)) return false
      const holder = this.awareness?.get(key)?.connection
      return !holder || holder === connection || holder.actorKey === connection.actorKey
    }
    if (requested !== null && usable(requested)) return requested
    if (connection.presenceKey !== null) return connection.presenceKey
    let key = newPresenceKey()
    while (!usable(key)) key = newPresenceKey()
    return key
  }

  /**
   * `reason` is a fixed sentence or code, never content from the frame (content rules return
   * fixed reasons too: see boardRecordValidation.ts). Sizes may go in `fields`.
   */
  private refuse(connection: Connection, code: number, reason: string, fields: Record<string, number> = {}): void {
    this.options.log.warn('ws.refused', { workshopId: this.options.workshopId, doc: this.name, code, reason, ...fields })
    connection.close(code, reason)
    this.disconnect(connection)
  }
}

/** A socket's "who is here" questions answered at most this often; a provider asks once in a while. */
const PRESENCE_QUERY_INTERVAL_MS = 5_000

/** Too big for one update; not something a provider sends; content no doc of ours holds. */
const SCAN_CLOSE_CODES: Record<ScanRefusal, number> = {
  too_many_parts: CloseCode.tooLarge,
  gc_or_skip: CloseCode.badFrame,
  unordered_deletes: CloseCode.badFrame,
  unsupported_content: CloseCode.readOnly,
}

/**
 * The join snapshot hands every joiner the same arrays until the doc changes, so each is framed
 * once, not once per joiner (a 3 MB copy each time).
 */
const frames = new WeakMap<Uint8Array, Uint8Array>()
function framed(payload: Uint8Array, encode: (payload: Uint8Array) => Uint8Array): Uint8Array {
  let frame = frames.get(payload)
  if (!frame) frames.set(payload, (frame = encode(payload)))
  return frame
}

/** The number of entries a state vector says it holds (its first number), read without decoding them. */
function stateVectorEntries(stateVector: Uint8Array): number {
  try {
    return decoding.readVarUint(decoding.createDecoder(stateVector))
  } catch {
    return Number.MAX_SAFE_INTEGER
  }
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // Not JSON: treated exactly like a state that fails the allowlist.
    return null
  }
}
