import { newPresenceKey } from '../../shared/presence.ts'
import { nowMs, nowUs } from './clock.ts'
import type { OutgoingUpdate } from './editor.ts'
import { LightSocket } from './lightSocket.ts'
import { Samples } from './stats.ts'
import {
  cursorFor,
  emptyStep1,
  encodeAwarenessEntry,
  MSG_AWARENESS,
  MSG_SYNC,
  MSG_SYNC_REPLY,
  patchMarker,
  readAwarenessEntries,
  scanMarkers,
  SYNC_STEP2,
  SYNC_UPDATE,
  usFromCursor,
  type Framing,
} from './wire.ts'

/**
 * A lightweight client: a raw websocket (LightSocket, a lighter receive path than `ws`), no
 * Y.Doc. It sends pre-generated updates and presence; most bots only count what they receive.
 * Probes also read the timestamps in what they receive (markers in updates, cursors in
 * presence) to measure fan-out latency.
 */

export interface Endpoint {
  url: string
  framing: Framing
}

/** The measurement window shared by every probe of a run. */
export interface MeasureWindow {
  seqFrom: number
  seqTo: number
  usFrom: number
  usTo: number
}

export class ProbeStats {
  readonly docLatencyMs = new Samples()
  readonly presenceLatencyMs = new Samples()
  /** Sequence numbers of window updates seen (deduplicated). */
  readonly seen = new Set<number>()
  /** Highest presence clock seen per sender. */
  readonly presenceClock = new Map<number, number>()
  presenceEntries = 0

  reset(): void {
    this.docLatencyMs.clear()
    this.presenceLatencyMs.clear()
    this.seen.clear()
    this.presenceEntries = 0
  }
}

export interface BotCounters {
  frames: number
  bytes: number
}

const COLORS = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#6741d9', '#0c8599', '#c2255c', '#5c940d']

export class Bot {
  ws: LightSocket | null = null
  readonly counters: BotCounters = { frames: 0, bytes: 0 }
  /** Awareness clock of the last presence sent. */
  presenceClock = 0
  /** The bot's Yjs clock after the last update it sent. */
  sentClock = 0
  syncedAfterMs: number | null = null
  unexpectedCloses = 0
  lastCloseCode: number | null = null
  /** Updates waiting to be sent, in order. */
  queue: OutgoingUpdate[] = []
  queueAt = 0
  // Pump state, owned by the load runner.
  cursorPeriodMs = 0
  editPeriodMs = 0
  nextPresenceAt = 0
  nextEditAt = 0
  /**
   * Called with every frame received (after counting), e.g. to time state-doc updates. The frame
   * is usually a view of a TCP chunk: copy what must outlive the call.
   */
  onFrame: ((frame: Buffer) => void) | null = null
  /**
   * Behave like y-websocket's provider, which sends every awareness update it applies back to
   * the server (remote clients' entries included). Echoed verbatim: the provider re-encodes the
   * same entries with the same clocks.
   */
  echoAwareness = false
  private closing = false
  private readonly color: string
  private readonly name: string
  /** Parity files presence under this, not the clientID (shared/presence.ts); other servers ignore it. */
  readonly presenceKey = newPresenceKey()

  constructor(
    readonly clientId: number,
    readonly endpoint: Endpoint,
    readonly room: number,
    readonly probe: ProbeStats | null,
    private readonly window: MeasureWindow,
  ) {
    this.color = COLORS[clientId % COLORS.length]!
    this.name = `Guest ${clientId % 1000}`
  }

  get open(): boolean {
    return this.ws !== null && this.ws.readyState === LightSocket.OPEN
  }

  get pendingUpdates(): number {
    return this.queue.length - this.queueAt
  }

  /**
   * Opens the socket, asks for the whole doc (step 1 with an empty state vector) and resolves
   * once the server's step 2 has arrived: the time a real provider would report `synced`.
   */
  connect(timeoutMs: number, announce = true): Promise<number> {
    const startedAt = nowMs()
    this.syncedAfterMs = null
    this.closing = false
    return new Promise((resolve, reject) => {
      const ws = new LightSocket(this.endpoint.url, { maxPayload: 512 * 1024 * 1024 })
      this.ws = ws
      let settled = false
      const timer = setTimeout(() => finish(new Error(`bot ${this.clientId} did not sync within ${timeoutMs} ms`)), timeoutMs)
      const finish = (error: Error | null) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error) reject(error)
        else resolve(this.syncedAfterMs!)
      }
      ws.on('open', () => {
        for (const hello of this.endpoint.framing.hello) ws.send(hello)
        ws.send(this.endpoint.framing.wrap(emptyStep1()))
        if (announce) this.sendPresence()
      })
      ws.on('message', (data: Buffer) => {
        this.counters.frames += 1
        this.counters.bytes += data.length
        if (this.syncedAfterMs === null && this.isStep2(data)) {
          this.syncedAfterMs = nowMs() - startedAt
          // From now on a bot that neither reads nor echoes what it receives only counts it.
          if (!this.probe && !this.onFrame && !this.echoAwareness) ws.countInto = this.counters
          finish(null)
        }
        if (this.probe) this.observe(data, this.probe)
        this.onFrame?.(data)
        if (this.echoAwareness && this.syncedAfterMs !== null) {
          const at = this.endpoint.framing.unwrap(data)
          if (at >= 0 && data[at] === MSG_AWARENESS) ws.send(data)
        }
      })
      ws.on('close', (code) => {
        this.lastCloseCode = code
        if (!this.closing) this.unexpectedCloses += 1
        finish(new Error(`bot ${this.clientId} closed with ${code} before syncing`))
      })
      ws.on('error', () => undefined)
    })
  }

  /** Closes the socket and waits for the close to complete (so the server has seen it). */
  close(): Promise<void> {
    const ws = this.ws
    this.closing = true
    if (!ws || ws.readyState === LightSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate()
        resolve()
      }, 3000)
      ws.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      ws.close(1000)
    })
  }

  sendPresence(): void {
    if (!this.open) return
    this.presenceClock += 1
    const [x, y] = cursorFor(nowUs())
    const state = `{"name":"${this.name}","color":"${this.color}","cursor":[${x},${y}],"hidden":false,"presenceKey":${this.presenceKey}}`
    this.ws!.send(this.endpoint.framing.wrap(encodeAwarenessEntry(this.clientId, this.presenceClock, state)))
  }

  /** Sends the next queued update with `seq` stamped in; false if the queue is empty. */
  sendUpdate(seq: number): boolean {
    if (!this.open || this.queueAt >= this.queue.length) return false
    const next = this.queue[this.queueAt]!
    this.queue[this.queueAt++] = undefined as unknown as OutgoingUpdate
    if (next.markerAt >= 0) patchMarker(next.frame, next.markerAt, nowUs(), seq)
    this.ws!.send(next.frame)
    this.sentClock = next.endClock
    if (this.queueAt > 4096) {
      this.queue = this.queue.slice(this.queueAt)
      this.queueAt = 0
    }
    return true
  }

  /** Adds updates to the end of the queue (leftovers stay first: later ones depend on them). */
  enqueue(updates: OutgoingUpdate[]): void {
    if (this.queueAt > 0) {
      this.queue = this.queue.slice(this.queueAt)
      this.queueAt = 0
    }
    for (const update of updates) this.queue.push(update)
  }

  private isStep2(frame: Buffer): boolean {
    const at = this.endpoint.framing.unwrap(frame)
    if (at < 0) return false
    const type = frame[at]
    return (type === MSG_SYNC || type === MSG_SYNC_REPLY) && frame[at + 1] === SYNC_STEP2
  }

  private observe(frame: Buffer, probe: ProbeStats): void {
    const at = this.endpoint.framing.unwrap(frame)
    if (at < 0) return
    const type = frame[at]
    const window = this.window
    if ((type === MSG_SYNC || type === MSG_SYNC_REPLY) && frame[at + 1] === SYNC_UPDATE) {
      const now = nowUs()
      scanMarkers(frame, at + 2, (us, seq) => {
        if (seq < window.seqFrom || seq >= window.seqTo || probe.seen.has(seq)) return
        probe.seen.add(seq)
        probe.docLatencyMs.push((now - us) / 1000)
      })
      return
    }
    if (type !== MSG_AWARENESS) return
    const now = nowUs()
    for (const entry of readAwarenessEntries(frame, at)) {
      if (entry.clientId === this.clientId || entry.clientId === this.presenceKey) continue
      const previous = probe.presenceClock.get(entry.clientId) ?? -1
      if (entry.clock <= previous) continue
      probe.presenceClock.set(entry.clientId, entry.clock)
      if (entry.stateJson === 'null') continue
      probe.presenceEntries += 1
      let cursor: unknown
      try {
        cursor = (JSON.parse(entry.stateJson) as { cursor?: unknown }).cursor
      } catch {
        continue
      }
      if (!Array.isArray(cursor) || cursor.length !== 2) continue
      const us = usFromCursor(cursor as number[])
      if (us >= window.usFrom && us < window.usTo) probe.presenceLatencyMs.push((now - us) / 1000)
    }
  }
}

/**
 * The last presence clock `stats` heard from `bot`: Parity files presence under the bot's
 * presence key (shared/presence.ts), the other servers under its clientID.
 */
export const presenceHeard = (stats: ProbeStats, bot: Bot): number =>
  Math.max(stats.presenceClock.get(bot.presenceKey) ?? 0, stats.presenceClock.get(bot.clientId) ?? 0)
