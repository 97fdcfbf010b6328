import { Bot } from '../lib/bot.ts'
import { nowMs, rng, sleep } from '../lib/clock.ts'
import { LoadRunner, mapLimit } from '../lib/load.ts'
import { Samples, type Summary } from '../lib/stats.ts'
import { httpJson, joinParity, type Target } from '../lib/targets.ts'
import { plainFraming, SYNC_UPDATE } from '../lib/wire.ts'
import type { ScenarioContext } from './context.ts'

/**
 * S6 — intents over HTTP (Parity only): `participants` people add ideas at once (time to a
 * durable 201), then one at a time (time until the state-doc update reaches every observer
 * socket), then everyone puts a ballot in. Skips with a note while the routes do not exist.
 */
export interface S6Result {
  skipped: string | null
  participants: number
  ideas: Summary
  ideaStatuses: Record<string, number>
  visibility: Summary
  ballots: Summary | null
  ballotStatuses: Record<string, number>
  ballotNote: string | null
}

const SECTION = 'vision'

export async function runS6(target: Target, options: { participants: number; spreadSec: number }, ctx: ScenarioContext): Promise<S6Result> {
  const { participants, spreadSec } = options
  ctx.log(`S6 ${target.name}: ${participants} participants adding ideas and voting`)
  const base = target.server.url
  const room = await target.createRoom()
  const tokens = await mapLimit(Array.from({ length: participants }), 16, () => joinParity(base, room.id))
  const ideaUrl = `${base}/api/workshops/${room.id}/sections/${SECTION}/ideas`
  const empty: S6Result = { skipped: null, participants, ideas: new Samples().summary(), ideaStatuses: {}, visibility: new Samples().summary(), ballots: null, ballotStatuses: {}, ballotNote: null }

  const first = await httpJson<{ ideaId?: string }>(ideaUrl, { body: { text: 'A first idea to check the route' }, token: tokens[0]! })
  if (first.status === 404 || first.status === 405) {
    const skipped = `POST /api/workshops/:id/sections/:sectionId/ideas answered ${first.status}: the idea routes do not exist yet, S6 skipped`
    ctx.log(`  ${skipped}`)
    return { ...empty, skipped }
  }
  const ideaIds: string[] = first.body.ideaId ? [first.body.ideaId] : []

  // Three observers on the read-only state doc, timing every update frame they receive.
  const runner = new LoadRunner(target, undefined, 6)
  const arrivals: number[][] = []
  const observers = await mapLimit(tokens.slice(0, 3), 3, async (token, index) => {
    const bot = new Bot(runner.newClientId(), { url: `${target.server.wsUrl}/ws/${room.id}/state?token=${encodeURIComponent(token)}`, framing: plainFraming }, 0, null, runner.window)
    arrivals[index] = []
    bot.onFrame = (frame) => {
      if (frame[0] === 0 && frame[1] === SYNC_UPDATE) arrivals[index]!.push(nowMs())
    }
    await bot.connect(10_000, false)
    return bot
  })

  try {
    // Everyone at once: two ideas each, spread over `spreadSec`.
    const random = rng(6)
    const ideaMs = new Samples()
    const ideaStatuses: Record<string, number> = {}
    const count = (statuses: Record<string, number>, status: number) => (statuses[status] = (statuses[status] ?? 0) + 1)
    await Promise.all(
      tokens.flatMap((token, p) =>
        [0, 1].map(async (n) => {
          await sleep(random() * spreadSec * 1000)
          const started = nowMs()
          const response = await httpJson<{ ideaId?: string }>(ideaUrl, { body: { text: `Idea ${n + 1} from participant ${p + 1}: ${'people are heard '.repeat(1 + (p % 4))}` }, token })
          ideaMs.push(nowMs() - started)
          count(ideaStatuses, response.status)
          if (response.body.ideaId) ideaIds.push(response.body.ideaId)
        }),
      ),
    )
    const ideas = ideaMs.summary()
    ctx.log(`  ${ideaMs.length} ideas at once: 2xx p50 ${ideas.p50.toFixed(1)} ms, p95 ${ideas.p95.toFixed(1)} ms, p99 ${ideas.p99.toFixed(1)} ms; statuses ${JSON.stringify(ideaStatuses)}`)

    // One at a time: request start → the state update at every observer.
    const visibility = new Samples()
    for (let i = 0; i < 20; i++) {
      await sleep(100)
      const started = nowMs()
      const response = await httpJson<{ ideaId?: string }>(ideaUrl, { body: { text: `Sequential idea ${i}` }, token: tokens[(i * 7) % tokens.length]! })
      if (response.body.ideaId) ideaIds.push(response.body.ideaId)
      if (response.status >= 300) continue
      const deadline = nowMs() + 2000
      let seen: number[] = []
      while (nowMs() < deadline) {
        seen = arrivals.map((list) => list.find((at) => at >= started) ?? NaN)
        if (seen.every(Number.isFinite)) break
        await sleep(2)
      }
      if (seen.every(Number.isFinite)) visibility.push(Math.max(...seen) - started)
    }
    const visible = visibility.summary()
    ctx.log(`  visible to all observers (one at a time): p50 ${visible.p50.toFixed(1)} ms, p99 ${visible.p99.toFixed(1)} ms (${visibility.length} of 20)`)

    // Reveal and open the vote, then everyone puts three dots in.
    const facilitator = room.facilitatorKey!
    const section = `${base}/api/workshops/${room.id}/sections/${SECTION}`
    const steps: [string, unknown][] = [
      [`${section}/reveal`, {}],
      [`${section}/phase`, { phase: 'discuss' }],
      [`${section}/phase`, { phase: 'vote' }],
    ]
    let ballotNote: string | null = null
    for (const [url, body] of steps) {
      const response = await httpJson(url, { body, token: facilitator })
      if (response.status >= 300) {
        ballotNote = `${url.slice(section.length)} answered ${response.status} ${JSON.stringify(response.body).slice(0, 160)}: ballots skipped`
        break
      }
    }
    let ballots: Summary | null = null
    const ballotStatuses: Record<string, number> = {}
    if (!ballotNote && ideaIds.length >= 3) {
      const ballotMs = new Samples()
      await Promise.all(
        tokens.map(async (token, p) => {
          await sleep(random() * spreadSec * 1000)
          const dots: Record<string, number> = {}
          for (let k = 0; k < 3; k++) dots[ideaIds[(p * 3 + k * 11) % ideaIds.length]!] = 1
          const started = nowMs()
          const response = await httpJson(`${section}/ballot`, { body: { dots }, token, method: 'PUT' })
          ballotMs.push(nowMs() - started)
          count(ballotStatuses, response.status)
        }),
      )
      ballots = ballotMs.summary()
      ctx.log(`  ${ballotMs.length} ballots at once: p50 ${ballots.p50.toFixed(1)} ms, p99 ${ballots.p99.toFixed(1)} ms; statuses ${JSON.stringify(ballotStatuses)}`)
    } else if (ballotNote) {
      ctx.log(`  ${ballotNote}`)
    }
    return { skipped: null, participants, ideas, ideaStatuses, visibility: visible, ballots, ballotStatuses, ballotNote }
  } finally {
    await Promise.all(observers.map((bot) => bot.close()))
  }
}
