import { nowMs, rng, sleep } from '../lib/clock.ts'
import { FOREIGN_LIMIT, mapLimit, STARVED_LIMIT } from '../lib/load.ts'
import { runQueueWaitNs, systemBusyUs, type LoopSample, type ServerProcess } from '../lib/proc.ts'
import { Samples, type Summary } from '../lib/stats.ts'
import { httpJson, joinParity, type Target } from '../lib/targets.ts'
import type { ScenarioContext } from './context.ts'

/**
 * Durable intents (issue 15): participants POST ideas, each answered only once committed. First
 * everyone at once (latency under load), then one at a time with nothing else running, to read
 * the event loop's busy time per idea — where the synchronous PostgreSQL bridge shows.
 */
export interface DurableResult {
  ideas: Summary
  statuses: Record<string, number>
  /** One at a time, on the owner: event-loop busy ms per idea, summed over the instances. */
  loopMsPerIdea: number
  /** Worst event-loop delay (timer lateness) seen on any instance while ideas came in. */
  loopDelayP99Ms: number
  loopDelayMaxMs: number
  foreignCpu: number
  serverStarved: number
  valid: boolean
  why: string[]
}

const SECTION = 'vision'

export async function runDurable(
  target: Target,
  instances: ServerProcess[],
  options: { participants: number; perParticipant: number; spreadSec: number; sequential: number },
  ctx: ScenarioContext,
): Promise<DurableResult> {
  const base = target.server.url
  const room = await target.createRoom()
  const tokens = await mapLimit(Array.from({ length: options.participants + 1 }), 8, () => joinParity(base, room.id))
  const url = `${base}/api/workshops/${room.id}/sections/${SECTION}/ideas`
  const statuses: Record<string, number> = {}
  const post = async (token: string, text: string): Promise<number> => {
    const started = nowMs()
    const response = await httpJson(url, { body: { text }, token })
    statuses[response.status] = (statuses[response.status] ?? 0) + 1
    return response.status < 300 ? nowMs() - started : NaN
  }
  await post(tokens.at(-1)!, 'A first idea to warm the route up')

  const busy0 = systemBusyUs()
  const server0 = target.server.cpuUs()
  const self0 = process.cpuUsage()
  const wait0 = runQueueWaitNs(target.server.pid)
  const wall0 = nowMs()
  await Promise.all(instances.map((instance) => instance.loop()))
  const random = rng(15)
  const ideaMs = new Samples()
  await Promise.all(
    tokens.slice(0, options.participants).map(async (token, p) => {
      for (let n = 0; n < options.perParticipant; n++) {
        await sleep((random() * options.spreadSec * 1000) / options.perParticipant)
        const ms = await post(token, `Idea ${n + 1} from participant ${p + 1}: people are heard`)
        if (Number.isFinite(ms)) ideaMs.push(ms)
      }
    }),
  )
  const underLoad = await Promise.all(instances.map((instance) => instance.loop()))
  const wall = nowMs() - wall0
  const self = process.cpuUsage(self0)
  const serverCpu = target.server.cpuUs() - server0
  const foreignCpu = Math.max(0, systemBusyUs() - busy0 - serverCpu - self.user - self.system) / 1000 / wall
  const serverStarved = (runQueueWaitNs(target.server.pid) - wait0) / 1e6 / wall

  const concurrentStatuses = { ...statuses }
  // One at a time, straight to the first instance (the owner in the cluster: no forwarding), so
  // the loop's busy time is (almost) all this idea's handling, storage included.
  const ownerUrl = `${instances[0]?.url ?? base}/api/workshops/${room.id}/sections/${SECTION}/ideas`
  const postToOwner = async (token: string, text: string): Promise<boolean> => (await httpJson(ownerUrl, { body: { text }, token })).status < 300
  let done = 0
  const alone: LoopSample[][] = []
  for (let i = 0; i < options.sequential; i++) {
    await sleep(50)
    await Promise.all(instances.map((instance) => instance.loop()))
    if (await postToOwner(tokens[i % options.participants]!, `Sequential idea ${i}`)) done += 1
    alone.push(await Promise.all(instances.map((instance) => instance.loop())))
  }
  const loopMs = alone.flat().reduce((sum, sample) => sum + sample.activeMs, 0)
  const ideas = ideaMs.summary()
  const why: string[] = []
  if (foreignCpu > FOREIGN_LIMIT && serverStarved > STARVED_LIMIT)
    why.push(`invalid: machine busy (server waited for a CPU ${Math.round(serverStarved * 100)}% of the time, other processes ${Math.round(foreignCpu * 100)}% of a core)`)
  const result: DurableResult = {
    ideas,
    statuses: concurrentStatuses,
    loopMsPerIdea: done === 0 ? NaN : loopMs / done,
    loopDelayP99Ms: Math.max(...underLoad.map((s) => s.delayP99Ms)),
    loopDelayMaxMs: Math.max(...underLoad.map((s) => s.delayMaxMs), ...alone.flat().map((s) => s.delayMaxMs)),
    foreignCpu,
    serverStarved,
    valid: why.length === 0,
    why,
  }
  ctx.log(
    `  ${ideaMs.length} ideas at once: p50 ${ideas.p50.toFixed(1)} ms, p99 ${ideas.p99.toFixed(1)} ms; statuses ${JSON.stringify(statuses)}; ` +
      `one at a time: event loop busy ${result.loopMsPerIdea.toFixed(2)} ms per idea; loop delay p99 ${result.loopDelayP99Ms.toFixed(1)} ms, max ${result.loopDelayMaxMs.toFixed(1)} ms` +
      (result.valid ? '' : ` — ${why.join('; ')}`),
  )
  return result
}
