import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

export type BusStatus = 'ok' | 'failing'

/** What instances say to each other. Binary payloads travel base64-encoded in `data`. */
export type BusMessage =
  | { t: 'req'; id: string; from: string; method: string; url: string; headers: [string, string][]; body?: string; address: string }
  | { t: 'res'; id: string; status: number; headers: [string, string][]; body: string }
  | { t: 'open'; conn: string; from: string; workshopId: string; docName: string; actor: string; credential: string }
  | { t: 'up'; conn: string; data: string }
  /** One frame for the carrier's sockets `conns` (a fan-out frame is sent once per carrier, not once per socket). */
  | { t: 'down'; conns: string[]; data: string }
  | { t: 'close'; conn: string; code: number; reason: string }
  | { t: 'ping'; conn: string }
  | { t: 'pong'; conn: string }

const inbox = (instanceId: string) => `parity:inbox:${instanceId}`
const alive = (instanceId: string) => `parity:alive:${instanceId}`

/** How long an instance counts as alive after its last heartbeat, and how often it beats. */
export const ALIVE_MS = 4_000
const HEARTBEAT_MS = 1_000

/**
 * Redis pub/sub between instances: one inbox channel per instance, plus a heartbeat key each
 * instance renews, so others can tell a dead owner from a slow one. Redis is only a pipe: losing
 * it loses messages in flight, and the cluster closes every relayed socket so y-websocket's own
 * sync on reconnect brings everyone back to the owner's document (see Cluster).
 *
 * Every message is sealed with a secret that only instances sharing the database hold (see
 * `sealBusMessage`): messages carry participants' keys, idea text and the admission the owner
 * trusts, so someone who can read Redis must learn nothing from them, and someone who can publish
 * to it must not be able to speak for an instance, nor repeat what one said.
 */
export class Bus {
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly heartbeat: NodeJS.Timeout
  private handlers: ((message: BusMessage) => void)[] = []
  private statusHandlers: ((status: BusStatus) => void)[] = []
  private current: BusStatus = 'failing'
  private subscribed = false

  private forged = 0
  private readonly senders: BusSenders = new Map()
  /** Messages sealed before this instance started are not taken: its counters were empty then. */
  private readonly startedAt = Date.now()
  private readonly key: Buffer
  private sent = 0

  constructor(
    private readonly url: string,
    readonly instanceId: string,
    private readonly log: Logger,
    secret: Buffer,
  ) {
    this.key = busKey(secret)
    // No offline queue: while Redis is away, sends fail at once (and say so) instead of piling up.
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, autoResubscribe: false, retryStrategy: (times: number) => Math.min(times * 200, 2_000) }
    this.pub = new Redis(url, options)
    this.sub = new Redis(url, options)
    for (const client of [this.pub, this.sub]) {
      client.on('ready', () => this.updateStatus())
      client.on('close', () => this.updateStatus())
      // ioredis reconnects by itself; errors are reported through the status, not thrown.
      client.on('error', () => this.updateStatus())
    }
    // Subscribed on every (re)connection: without an offline queue, a subscribe sent before the
    // connection is up is dropped, and the inbox would stay silent.
    this.sub.on('ready', () => {
      this.sub.subscribe(inbox(instanceId)).then(
        () => {
          this.subscribed = true
          this.updateStatus()
        },
        () => this.updateStatus(),
      )
    })
    this.sub.on('close', () => {
      this.subscribed = false
    })
    this.sub.on('message', (channel: string, sealed: string) => {
      const text = openBusMessage(this.key, channel, sealed, this.senders, Date.now(), this.startedAt)
      if (text === null) {
        // Counted, not quoted: a forged message may carry anything.
        if (this.forged++ % 1000 === 0) this.log.warn('bus.unsigned_message', { count: this.forged })
        return
      }
      let message: BusMessage
      try {
        message = JSON.parse(text) as BusMessage
      } catch {
        return
      }
      for (const handler of this.handlers) handler(message)
    })
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  get status(): BusStatus {
    return this.current
  }

  /** Resolves once both connections are up (start-up waits, so the first requests can route). */
  async ready(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.current !== 'ok') {
      if (Date.now() > deadline) {
        await this.close()
        throw new Error(`Redis (REDIS_URL) could not be reached at ${new URL(this.url).host}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await this.beat()
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler)
  }

  onStatus(handler: (status: BusStatus) => void): void {
    this.statusHandlers.push(handler)
  }

  /** False when the bus is down: the message was not sent. `written`: called once Redis took it (or failed). */
  send(to: string, message: BusMessage, written?: () => void): boolean {
    if (this.current !== 'ok') return false
    const channel = inbox(to)
    this.pub.publish(channel, sealBusMessage(this.key, channel, JSON.stringify(message), this.instanceId, ++this.sent)).then(
      () => written?.(),
      () => {
        written?.()
        this.updateStatus()
      },
    )
    return true
  }

  /** Which of `instanceIds` have beaten their heart recently; null when Redis cannot say. */
  async living(instanceIds: string[]): Promise<Set<string> | null> {
    if (instanceIds.length === 0) return new Set()
    if (this.current !== 'ok') return null
    try {
      const values = await this.pub.mget(instanceIds.map(alive))
      return new Set(instanceIds.filter((_, i) => values[i] !== null))
    } catch {
      return null
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat)
    if (this.current === 'ok') await this.pub.del(alive(this.instanceId)).catch(() => {})
    this.pub.disconnect()
    this.sub.disconnect()
  }

  private async beat(): Promise<void> {
    if (this.current !== 'ok') return
    await this.pub.set(alive(this.instanceId), '1', 'PX', ALIVE_MS).catch(() => this.updateStatus())
  }

  private updateStatus(): void {
    const next: BusStatus = this.pub.status === 'ready' && this.sub.status === 'ready' && this.subscribed ? 'ok' : 'failing'
    if (next === this.current) return
    this.current = next
    // Beat at once: a peer that hears from us before our first beat would take us for dead.
    if (next === 'ok') void this.beat()
    this.log.info(next === 'ok' ? 'bus.up' : 'bus.down', {})
    for (const handler of this.statusHandlers) handler(next)
  }
}

/** How long a sealed message stays valid: instances' clocks must agree to within this. */
export const BUS_MESSAGE_TTL_MS = 30_000

/** The AES-256-GCM key for bus messages, derived from the instances' shared secret. */
export function busKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('parity bus messages, AES-256-GCM').digest()
}

/** Each sender's last sequence number taken, and when: what `openBusMessage` refuses to take twice. */
export type BusSenders = Map<string, { seq: number; at: number }>

/**
 * `text` from `sender` (its `seq`-th message, counting up) encrypted and authenticated for
 * `channel` (AES-256-GCM, the channel as associated data, so a message cannot be moved to another
 * instance's inbox): base64url of nonce, tag and ciphertext. The plaintext starts with the time,
 * sender and number, which `openBusMessage` checks.
 */
export function sealBusMessage(key: Buffer, channel: string, text: string, sender: string, seq: number, now = Date.now()): string {
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(channel))
  const body = Buffer.concat([cipher.update(`${now} ${sender} ${seq}\n${text}`, 'utf8'), cipher.final()])
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url')
}

/**
 * The text of a message sealed with `key` for `channel`, or null: not sealed with our key, sealed
 * for another inbox, older than BUS_MESSAGE_TTL_MS (or that far ahead) or than `notBefore`, or not newer than the
 * last one taken from its sender (Redis delivers one sender's messages in order, so a repeat is a
 * replay). `senders` is updated here.
 */
export function openBusMessage(key: Buffer, channel: string, sealed: string, senders: BusSenders, now = Date.now(), notBefore = -Infinity): string | null {
  const raw = Buffer.from(sealed, 'base64url')
  if (raw.length < 29) return null
  let plain: string
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
    decipher.setAAD(Buffer.from(channel))
    decipher.setAuthTag(raw.subarray(12, 28))
    plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
  const newline = plain.indexOf('\n')
  const [atText, sender, seqText] = plain.slice(0, Math.max(0, newline)).split(' ')
  const at = Number(atText)
  const seq = Number(seqText)
  if (!sender || !Number.isSafeInteger(seq) || !Number.isFinite(at) || Math.abs(now - at) > BUS_MESSAGE_TTL_MS) return null
  // A receiver that restarted knows no sender's count: a message recorded in the window before
  // would be taken once. Nothing sealed before it started is.
  if (at < notBefore) return null
  const last = senders.get(sender)
  if (last && seq <= last.seq) return null
  // Senders gone quiet for longer than the window are forgotten (a restarted instance is new).
  if (!last && senders.size >= 64) for (const [id, known] of senders) if (now - known.at > BUS_MESSAGE_TTL_MS) senders.delete(id)
  senders.set(sender, { seq, at: now })
  return plain.slice(newline + 1)
}
