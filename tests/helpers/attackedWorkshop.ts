import { randomInt } from 'node:crypto'
import { expect } from 'vitest'
import { hashToken } from '../../server/domain/tokens.ts'
import type { AddedIdea, JoinedWorkshop } from '../../shared/intents.ts'
import { eventually } from './clients.ts'
import type { AttackResult, Truth } from './pairingAttack.ts'
import { api, createWorkshop, joinWorkshop, type TestServer } from './testServer.ts'

/**
 * The workshop a reader of a database copy attacks (issue 12 item 1, issue 15 for PostgreSQL):
 * people join, then add ideas, vote and answer a consent round each in an order of their own,
 * and the files are attacked at each moment. Shared by the SQLite page-level test
 * (tests/adversarial/anonymity.test.ts) and the PostgreSQL one (tests/cluster/postgresAtRest.test.ts).
 */

export const ATTACK_MOMENTS = ['gathering', 'published', 'vote open', 'vote closed', 'consent open', 'consent closed', 'unloaded'] as const
export type AttackMoment = (typeof ATTACK_MOMENTS)[number]

/** What the attacker is scored against: marker → owner per kind, and every marker naming a person. */
export interface AttackTruths {
  truths: Record<'author' | 'voter' | 'responder', Truth>
  participants: ReadonlyMap<string, number>
}

function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  return order
}

/** One run: a fresh workshop on `server`; `attack` is called at each moment with what is true so far. */
export async function runAttackedWorkshop(
  server: TestServer,
  run: number,
  peopleCount: number,
  attack: (moment: AttackMoment, truths: AttackTruths) => void | Promise<void>,
): Promise<void> {
  const workshop = await createWorkshop(server)
  const w = `/api/workshops/${workshop.workshopId}`
  const fac = (path: string, body: unknown = {}) => api<Record<string, unknown>>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
  const people: JoinedWorkshop[] = []
  for (let i = 0; i < peopleCount; i++) people.push(await joinWorkshop(server, workshop.workshopId, { perspective: i % 2 ? 'carer' : 'staff' }))
  const participants = new Map<string, number>()
  for (const [i, person] of people.entries()) {
    participants.set(person.participantId, i)
    participants.set(hashToken(person.token), i)
  }
  const author = new Map<string, number>()
  const voter = new Map<string, number>()
  const responder = new Map<string, number>()
  const truths: AttackTruths = { truths: { author, voter, responder }, participants }

  // Ideas, each person at a moment of their own (real clients send an idempotency key).
  for (const i of shuffled(peopleCount)) {
    const added = await api<AddedIdea>(server, `${w}/sections/values/ideas`, {
      body: { text: `Idea ${run}.${i}` },
      token: people[i]!.token,
      headers: { 'idempotency-key': crypto.randomUUID() },
    })
    expect(added.status).toBe(201)
    author.set(added.body.ideaId, i)
  }
  await attack('gathering', truths)
  expect((await fac('/sections/values/reveal')).status).toBe(200)
  await attack('published', truths)

  // A vote: each person puts their dot on a different idea, in an order of their own.
  expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
  const ideaIds = [...author.keys()]
  const choice = shuffled(peopleCount)
  for (const i of shuffled(peopleCount)) {
    const ideaId = ideaIds[choice[i]!]!
    expect((await api(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots: { [ideaId]: 1 } }, token: people[i]!.token })).status).toBe(200)
    voter.set(ideaId, i)
  }
  await attack('vote open', truths)
  expect((await fac('/sections/values/close-vote')).status).toBe(200)
  await attack('vote closed', truths)

  // A consent round: everyone answers with a reason of their own.
  expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
  const proposal = await fac('/sections/values/proposals', { items: ['Respect', 'Plain words'] })
  expect(proposal.status).toBe(201)
  for (const i of shuffled(peopleCount)) {
    const reason = `Reason ${run}.${i}`
    const answered = await api(server, `${w}/proposals/${String(proposal.body.proposalId)}/response`, { method: 'PUT', body: { response: i % 3 ? 'agree' : 'object', reason }, token: people[i]!.token })
    expect(answered.status).toBe(200)
    responder.set(reason, i)
  }
  await attack('consent open', truths)
  expect(await fac(`/proposals/${String(proposal.body.proposalId)}/close`)).toMatchObject({ status: 200 })
  await attack('consent closed', truths)
  await eventually(() => expect(server.rooms.isLoaded(workshop.workshopId)).toBe(false), 10_000)
  await attack('unloaded', truths)
}

/** Sums of correct pairs per moment and attack group, over runs; the best mean is what the attacker gets. */
export class AttackScores {
  private readonly totals = new Map<AttackMoment, Map<string, number>>(ATTACK_MOMENTS.map((moment) => [moment, new Map()]))
  private readonly colocations = new Map<AttackMoment, number>(ATTACK_MOMENTS.map((moment) => [moment, 0]))
  runs = 0

  add(moment: AttackMoment, result: AttackResult): void {
    const total = this.totals.get(moment)!
    for (const [key, correct] of result.byRank) total.set(key, (total.get(key) ?? 0) + correct)
    this.colocations.set(moment, this.colocations.get(moment)! + result.colocated)
  }

  /** The attack group with the highest mean of correct pairs per run, or null if none ran. */
  best(moment: AttackMoment): { key: string; mean: number } | null {
    const means = [...this.totals.get(moment)!].map(([key, sum]) => ({ key, mean: sum / Math.max(1, this.runs) })).sort((a, b) => b.mean - a.mean)
    return means[0] ?? null
  }

  colocated(moment: AttackMoment): number {
    return this.colocations.get(moment)!
  }

  /** One line per moment (figures for docs/security.md). */
  report(people: number): string[] {
    return ATTACK_MOMENTS.map((moment) => {
      const best = this.best(moment)
      return `${moment}: best mean ${best ? best.mean.toFixed(2) : '-'} of ${people} (${best?.key ?? 'no groups'}), colocated ${this.colocated(moment)}`
    })
  }
}
