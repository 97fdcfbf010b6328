import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createDatabase, startHaproxy, startPostgres, startRedis, type HaproxyService, type PostgresService, type RedisService } from '../../tests/helpers/services.ts'
import { processCpuUs, SERVER_CORE, ServerProcess, type MemorySample, type ServerHandle, type ServerSpec } from './proc.ts'
import { httpJson, joinParity, providerClient, type Target } from './targets.ts'
import { plainFraming } from './wire.ts'

/**
 * Two Parity instances sharing PostgreSQL and Redis, behind HAProxy, as one bench target. Every
 * process of the cluster (both instances, PostgreSQL and its backends, Redis, HAProxy) runs on the
 * server core, so "server CPU" is the whole cluster's and per-core figures compare fairly with one
 * SQLite instance. Where participants connect is chosen per run (`placement`).
 */

/** a / b: every socket on that instance; balancer: through HAProxy; split: the first `receivers` of a room on B, the rest on A. */
export type Placement = 'a' | 'b' | 'balancer' | 'split'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** Every live process below `root` (children, grandchildren…), from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

/** The whole cluster seen as one server: CPU summed over its processes, heap over both instances. */
class ClusterServer implements ServerHandle {
  constructor(
    readonly a: ServerProcess,
    readonly b: ServerProcess,
    private readonly balancer: HaproxyService,
    private readonly postgres: PostgresService,
  ) {}

  /** Instance A's main thread: the one whose wait for a CPU the bench's validity rule watches. */
  get pid(): number {
    return this.a.pid
  }

  get alive(): boolean {
    return this.a.alive && this.b.alive
  }

  get url(): string {
    return this.balancer.url
  }

  get wsUrl(): string {
    return this.balancer.url.replace(/^http/, 'ws')
  }

  recentErrors(): string[] {
    return [...this.a.recentErrors(), ...this.b.recentErrors()]
  }

  /** Everything this bench process started, plus the PostgreSQL postmaster and its backends. */
  pids(): number[] {
    const pg = this.postgres.pid
    return [...descendants(process.pid), ...(pg ? [pg, ...descendants(pg)] : [])]
  }

  cpuUs(): number {
    let sum = 0
    for (const pid of new Set(this.pids())) {
      try {
        sum += processCpuUs(pid)
      } catch {
        // exited between listing and reading
      }
    }
    return sum
  }

  /** CPU µs so far by part: instance A, instance B, and the other processes by name (postgres, redis-server, haproxy). */
  cpuByPart(): Record<string, number> {
    const parts: Record<string, number> = {}
    const a = new Set([this.a.pid, ...descendants(this.a.pid)])
    const b = new Set([this.b.pid, ...descendants(this.b.pid)])
    for (const pid of new Set(this.pids())) {
      try {
        const part = a.has(pid) ? 'instance A' : b.has(pid) ? 'instance B' : readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
        parts[part] = (parts[part] ?? 0) + processCpuUs(pid)
      } catch {
        // exited between listing and reading
      }
    }
    return parts
  }

  async memory(): Promise<MemorySample> {
    const [a, b] = await Promise.all([this.a.memory(), this.b.memory()])
    return { heapUsed: a.heapUsed + b.heapUsed, codeBytes: a.codeBytes + b.codeBytes, rss: a.rss + b.rss, external: a.external + b.external, arrayBuffers: a.arrayBuffers + b.arrayBuffers }
  }
}

export interface ClusterTarget extends Target {
  server: ClusterServer
  placement: Placement
  /** In `split` placement, how many sockets of each room go to B (S1's probes come first). */
  receivers: number
  /** Both instances, for event-loop figures. */
  instances: ServerProcess[]
}

export async function startCluster(log: (line: string) => void): Promise<ClusterTarget> {
  const stops: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
  }
  try {
    // fsync on: a 2xx must mean on disk, as in production.
    const postgres: PostgresService = await startPostgres({ fsync: true })
    stops.push(() => postgres.stop())
    const databaseUrl = await createDatabase(postgres.url, 'parity_bench')
    const redis: RedisService = await startRedis()
    stops.push(() => redis.stop())
    const spec = (name: string): ServerSpec => ({
      label: `Parity ${name} (PostgreSQL + Redis)`,
      command: process.execPath,
      // BENCH_PROFILE_DIR: a V8 CPU profile of each instance, as for the single server.
      args: [...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), '--expose-gc', '--import', join(ROOT, 'scripts', 'registerTs.mjs'), join(ROOT, 'bench', 'servers', 'parity.ts')],
      env: { BENCH_DATABASE_URL: databaseUrl, BENCH_REDIS_URL: redis.url, BENCH_UNLOAD_MS: '2000' },
    })
    const a = await ServerProcess.start(spec('A'))
    stops.push(() => a.stop())
    const b = await ServerProcess.start(spec('B'))
    stops.push(() => b.stop())
    const balancer = await startHaproxy([
      { host: '127.0.0.1', port: a.port },
      { host: '127.0.0.1', port: b.port },
    ])
    stops.push(() => balancer.stop())
    const server = new ClusterServer(a, b, balancer, postgres)
    // PostgreSQL's later backends inherit the postmaster's core; HAProxy's and Redis's threads too.
    for (const pid of server.pids()) {
      try {
        execFileSync('taskset', ['-a', '-c', '-p', SERVER_CORE, String(pid)], { stdio: 'ignore' })
      } catch {
        // a short-lived helper process that already exited
      }
    }
    log(`  cluster: instances A :${a.port}, B :${b.port}, HAProxy :${balancer.port}, PostgreSQL :${postgres.port} (fsync on), Redis :${redis.port}; all on core ${SERVER_CORE}`)

    const handed = new Map<string, number>()
    const instanceUrl = (placement: Placement, room: string): { http: string; ws: string } => {
      const n = handed.get(room) ?? 0
      handed.set(room, n + 1)
      const pick = placement === 'a' ? a : placement === 'b' ? b : placement === 'split' ? (n < target.receivers ? b : a) : null
      return pick ? { http: pick.url, ws: pick.wsUrl } : { http: server.url, ws: server.wsUrl }
    }
    const target: ClusterTarget = {
      name: 'parity',
      server,
      instances: [a, b],
      runtime: `Node ${process.versions.node}, PostgreSQL + Redis + HAProxy`,
      placement: 'balancer',
      receivers: 5,
      // Created and first joined on A, so A owns the workshop (the first instance to place it).
      createRoom: async () => {
        const { status, body } = await httpJson<{ workshopId: string; facilitatorKey: string }>(`${a.url}/api/workshops`, { body: { title: 'Bench workshop' } })
        if (status !== 201) throw new Error(`create workshop: ${status} ${JSON.stringify(body)}`)
        await joinParity(a.url, body.workshopId)
        return { id: body.workshopId, facilitatorKey: body.facilitatorKey }
      },
      endpoint: async (room) => {
        const where = instanceUrl(target.placement, room.id)
        const token = await joinParity(where.http, room.id)
        return { url: `${where.ws}/ws/${room.id}/board?token=${encodeURIComponent(token)}`, framing: plainFraming }
      },
      verifier: async (room) => providerClient(`${server.wsUrl}/ws/${room.id}`, 'board', { token: await joinParity(server.url, room.id) }),
      dispose: stopAll,
    }
    return target
  } catch (error) {
    await stopAll()
    throw error
  }
}
