import { createHash } from 'node:crypto'
import type { Db } from '../storage/sql.ts'

/** Where a workshop's live state is: here, on another instance, or nowhere reachable now. */
export type Placement = { here: true } | { here: false; owner: string } | { here: false; owner: null }

/** How long a known remote owner is trusted without asking PostgreSQL again. */
const REMOTE_OWNER_TTL_MS = 2_000

/**
 * One owner per workshop, fenced by PostgreSQL: the owner holds a session advisory lock keyed
 * by the workshop, so two instances can never both load it, and a crashed owner's lock goes
 * with its connection, so a survivor takes over at once. `workshop_owners` says who holds it,
 * for routing. An instance keeps what it owns until it stops (see docs/architecture.md).
 */
export class Ownership {
  private readonly owned = new Set<string>()
  /** Workshops held elsewhere: saves three round trips per forwarded request. */
  private readonly remote = new Map<string, { owner: string; until: number }>()
  private readonly tryLock
  private readonly record
  private readonly lookup
  private readonly exists
  private session: number

  constructor(
    private readonly db: Db & { session: number },
    readonly instanceId: string,
  ) {
    this.tryLock = db.prepare('SELECT pg_try_advisory_lock(?::bigint) AS ok')
    this.record = db.prepare(
      'INSERT INTO workshop_owners (workshop_id, instance_id) VALUES (?, ?) ON CONFLICT (workshop_id) DO UPDATE SET instance_id = excluded.instance_id',
    )
    this.lookup = db.prepare('SELECT instance_id AS owner FROM workshop_owners WHERE workshop_id = ?')
    this.exists = db.prepare('SELECT 1 AS found FROM workshops WHERE workshop_id = ?')
    this.session = db.session
  }

  /** Claims the workshop if nobody holds it. Throws only if the database cannot be reached. */
  place(workshopId: string): Placement {
    this.verifySession()
    if (this.owned.has(workshopId)) return { here: true }
    const known = this.remote.get(workshopId)
    if (known && known.until > performance.now()) return { here: false, owner: known.owner }
    this.remote.delete(workshopId)
    // Unknown ids (probes, deleted workshops) are answered here with 404; nobody claims them.
    if (!this.exists.get(workshopId)) return { here: true }
    if ((this.tryLock.get(lockKey(workshopId)) as { ok: boolean }).ok) {
      this.record.run(workshopId, this.instanceId)
      this.owned.add(workshopId)
      return { here: true }
    }
    const row = this.lookup.get(workshopId) as { owner: string } | undefined
    // Held, but the holder has not written its name yet (it is claiming right now).
    if (!row || row.owner === this.instanceId) return { here: false, owner: null }
    if (this.remote.size >= 4_096) this.sweepRemote()
    this.remote.set(workshopId, { owner: row.owner, until: performance.now() + REMOTE_OWNER_TTL_MS })
    return { here: false, owner: row.owner }
  }

  private sweepRemote(): void {
    const now = performance.now()
    for (const [id, known] of this.remote) if (known.until <= now) this.remote.delete(id)
  }

  /** Forget remote owners that proved wrong or gone, so the next request asks PostgreSQL. */
  forget(owner: string, workshopId?: string): void {
    for (const [id, known] of this.remote) if (known.owner === owner && (workshopId === undefined || id === workshopId)) this.remote.delete(id)
  }

  owns(workshopId: string): boolean {
    this.verifySession()
    return this.owned.has(workshopId)
  }

  get count(): number {
    return this.owned.size
  }

  /**
   * Whether the database session, and with it every workshop lock, is the one we claimed under.
   * If not (the connection was replaced), nothing is ours any more: `onLost` drops what is loaded
   * here. Also called before each use of a loaded room, so no room acts on a workshop another
   * instance may now hold.
   */
  verifySession(): void {
    if (this.db.session === this.session) return
    this.session = this.db.session
    const lost = [...this.owned]
    this.owned.clear()
    this.onLost?.(lost)
  }

  /** Called with the workshops that were ours when ownership was lost with the database session. */
  onLost: ((workshopIds: readonly string[]) => void) | null = null
}

/** A 63-bit key per workshop (as text, for `?::bigint`): collisions are out of reach. */
export function lockKey(workshopId: string): string {
  const digest = createHash('sha256').update(`parity-workshop:${workshopId}`).digest()
  return (digest.readBigUInt64BE(0) >> 1n).toString()
}
