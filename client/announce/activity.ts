import { PHASE_LABEL, type Phase } from '../../shared/phases.ts'
import type { StateView } from '../../shared/stateDoc.ts'

/** Something other people (or the facilitator) did that is worth saying out loud. */
export type ActivityEvent =
  | { kind: 'new-ideas'; sectionId: string; sectionTitle: string; count: number }
  | { kind: 'phase'; sectionId: string; sectionTitle: string; phase: Phase }
  | { kind: 'results'; sectionId: string; sectionTitle: string }
  | { kind: 'draft'; sectionId: string; sectionTitle: string }
  | { kind: 'round-closed'; sectionId: string; sectionTitle: string; agreed: boolean }
  | { kind: 'section-added'; sectionId: string; sectionTitle: string }

// The room pause is left out: its calm screen says it to everyone, whatever they chose here.
type View = Pick<StateView, 'sections' | 'ideas' | 'results' | 'proposals'>

/**
 * What changed between two views of the state doc, in people's terms. Counts of waiting ideas
 * are left out on purpose: they move with every submission and would point at whoever typed.
 */
export function describeChanges(before: View, after: View): ActivityEvent[] {
  const events: ActivityEvent[] = []
  const title = (sectionId: string) => after.sections.find((s) => s.sectionId === sectionId)?.title ?? 'a section'
  const previousSections = new Map(before.sections.map((section) => [section.sectionId, section]))
  for (const section of after.sections) {
    const previous = previousSections.get(section.sectionId)
    if (!previous) events.push({ kind: 'section-added', sectionId: section.sectionId, sectionTitle: section.title })
    else if (previous.phase !== section.phase) events.push({ kind: 'phase', sectionId: section.sectionId, sectionTitle: section.title, phase: section.phase })
  }
  const known = new Set(before.ideas.map((idea) => idea.ideaId))
  const fresh = new Map<string, number>()
  for (const idea of after.ideas) {
    if (known.has(idea.ideaId) || idea.status !== 'published' || idea.kind !== 'idea') continue
    fresh.set(idea.sectionId, (fresh.get(idea.sectionId) ?? 0) + 1)
  }
  for (const [sectionId, count] of fresh) events.push({ kind: 'new-ideas', sectionId, sectionTitle: title(sectionId), count })
  for (const [sectionId, results] of Object.entries(after.results)) {
    const previous = before.results[sectionId]
    if (results.final && !(previous?.final && previous.round === results.round)) events.push({ kind: 'results', sectionId, sectionTitle: title(sectionId) })
  }
  const previousProposals = new Map(before.proposals.map((proposal) => [proposal.proposalId, proposal]))
  for (const proposal of after.proposals) {
    const previous = previousProposals.get(proposal.proposalId)
    if (!previous && proposal.status === 'open') events.push({ kind: 'draft', sectionId: proposal.sectionId, sectionTitle: title(proposal.sectionId) })
    if (proposal.status === 'closed' && previous?.status !== 'closed')
      events.push({ kind: 'round-closed', sectionId: proposal.sectionId, sectionTitle: title(proposal.sectionId), agreed: proposal.outcome === 'agreed' })
  }
  return events
}

/** At most this many sentences in one summary: more than that is noise, not news. */
const MAX_SENTENCES = 3

/**
 * One calm summary: new ideas added up per section, only the latest step per section. A call to
 * action (a draft to answer, a vote or step that asks something of people, results to read) is
 * never cut by the cap: calls come first, news fills what room is left.
 */
export function summarise(events: readonly ActivityEvent[]): string {
  const ideas = new Map<string, { title: string; count: number }>()
  const latest = new Map<string, { text: string; action: boolean }>()
  for (const event of events) {
    switch (event.kind) {
      case 'new-ideas': {
        const entry = ideas.get(event.sectionId) ?? { title: event.sectionTitle, count: 0 }
        entry.count += event.count
        ideas.set(event.sectionId, entry)
        break
      }
      case 'phase':
        latest.set(`phase:${event.sectionId}`, { text: `${event.sectionTitle} has moved on to “${PHASE_LABEL[event.phase]}”.`, action: event.phase === 'vote' || event.phase === 'agree' })
        break
      case 'results':
        latest.set(`results:${event.sectionId}`, { text: `The vote in ${event.sectionTitle} has closed. The results are ready.`, action: true })
        break
      case 'draft':
        latest.set(`draft:${event.sectionId}`, { text: `There is a draft to answer in ${event.sectionTitle}.`, action: true })
        break
      case 'round-closed':
        latest.set(`round:${event.sectionId}`, { text: `The round in ${event.sectionTitle} has closed: ${event.agreed ? 'agreed' : 'not agreed yet'}.`, action: false })
        break
      case 'section-added':
        latest.set(`added:${event.sectionId}`, { text: `A new part has been added: ${event.sectionTitle}.`, action: false })
        break
    }
  }
  const news = [...[...ideas.values()].map(({ title, count }) => `${count} new ${count === 1 ? 'idea' : 'ideas'} in ${title}.`), ...[...latest.values()].filter((s) => !s.action).map((s) => s.text)]
  const calls = [...latest.values()].filter((s) => s.action).map((s) => s.text)
  if (calls.length + news.length <= MAX_SENTENCES) return [...news, ...calls].join(' ')
  const room = Math.max(0, MAX_SENTENCES - calls.length)
  const left = news.length - room
  return `${[...calls, ...news.slice(0, room)].join(' ')} And ${left} more ${left === 1 ? 'change' : 'changes'}.`
}
