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
  /** Ideas put into themes (`put`), or themes otherwise changed: taken apart or renamed. Never by whom. */
  | { kind: 'themes'; sectionId: string; sectionTitle: string; put: boolean }
  /** The facilitator hid an idea; the reason is public (the moderation log shows it too). */
  | { kind: 'hidden'; sectionId: string; sectionTitle: string; reason: string | null }
  /** The facilitator combined `count` similar ideas into one. */
  | { kind: 'combined'; sectionId: string; sectionTitle: string; count: number }

// The room pause is left out: its calm screen says it to everyone, whatever they chose here.
type View = Pick<StateView, 'sections' | 'ideas' | 'results' | 'proposals' | 'themes'>

/**
 * Said at once, not held for the summary interval: a step that asks something of the person (a
 * vote to cast, a draft to answer). Everything else is news and waits its turn.
 */
export function isCallToAction(event: ActivityEvent): boolean {
  return event.kind === 'draft' || (event.kind === 'phase' && (event.phase === 'vote' || event.phase === 'agree'))
}

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
  events.push(...moderationChanges(before, after, title), ...themeChanges(before, after, title))
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

/** Ideas that were shown and are now hidden or combined: what the facilitator did, never to whose idea. */
function moderationChanges(before: View, after: View, title: (sectionId: string) => string): ActivityEvent[] {
  const shownBefore = new Set(before.ideas.filter((idea) => idea.status === 'published').map((idea) => idea.ideaId))
  const events: ActivityEvent[] = []
  const combinedInto = new Map<string, { sectionId: string; count: number }>()
  for (const idea of after.ideas) {
    if (!shownBefore.has(idea.ideaId)) continue
    if (idea.status === 'hidden') events.push({ kind: 'hidden', sectionId: idea.sectionId, sectionTitle: title(idea.sectionId), reason: idea.hiddenReason })
    else if (idea.status === 'merged' && idea.mergedInto) {
      // The kept idea counts too: two ideas combined is one idea merged into another.
      const entry = combinedInto.get(idea.mergedInto) ?? { sectionId: idea.sectionId, count: 1 }
      entry.count += 1
      combinedInto.set(idea.mergedInto, entry)
    }
  }
  for (const { sectionId, count } of combinedInto.values()) events.push({ kind: 'combined', sectionId, sectionTitle: title(sectionId), count })
  return events
}

/** One event per section whose themes changed: whether ideas went into a theme, or themes were only changed. */
function themeChanges(before: View, after: View, title: (sectionId: string) => string): ActivityEvent[] {
  const themeOf = (view: View) => new Map(view.themes.flatMap((theme) => theme.ideaIds.map((ideaId) => [ideaId, theme.themeId] as const)))
  const key = (view: View) => new Map(view.themes.map((theme) => [theme.themeId, `${theme.name}\u0000${theme.ideaIds.join(',')}`]))
  const wasIn = themeOf(before)
  const was = key(before)
  const now = key(after)
  const changed = new Map<string, boolean>()
  for (const theme of after.themes) {
    const put = theme.ideaIds.some((ideaId) => wasIn.get(ideaId) !== theme.themeId)
    if (put || was.get(theme.themeId) !== now.get(theme.themeId)) changed.set(theme.sectionId, (changed.get(theme.sectionId) ?? false) || put)
  }
  for (const theme of before.themes) if (!now.has(theme.themeId) && !changed.has(theme.sectionId)) changed.set(theme.sectionId, false)
  // A section taken away takes its themes with it: nothing to say about those.
  const sections = new Set(after.sections.map((section) => section.sectionId))
  return [...changed].filter(([sectionId]) => sections.has(sectionId)).map(([sectionId, put]) => ({ kind: 'themes', sectionId, sectionTitle: title(sectionId), put }))
}

const NUMBER_WORDS = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten']
/** A count at the start of a sentence, in words while it is small: "Two ideas were combined". */
const countWord = (n: number) => NUMBER_WORDS[n] ?? String(n)
/** A reason as the end of a sentence. */
const sentenceEnd = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`)

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
  const hidden = new Map<string, { title: string; reasons: Set<string>; count: number }>()
  const combined = new Map<string, { title: string; counts: number[] }>()
  const themes = new Map<string, { title: string; put: boolean }>()
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
      case 'themes':
        // One sentence per section however many moves: once ideas went into themes, that is what is said.
        themes.set(event.sectionId, { title: event.sectionTitle, put: event.put || themes.get(event.sectionId)?.put === true })
        break
      case 'hidden': {
        const entry = hidden.get(event.sectionId) ?? { title: event.sectionTitle, reasons: new Set<string>(), count: 0 }
        entry.count += 1
        if (event.reason?.trim()) entry.reasons.add(event.reason.trim())
        hidden.set(event.sectionId, entry)
        break
      }
      case 'combined': {
        const entry = combined.get(event.sectionId) ?? { title: event.sectionTitle, counts: [] }
        entry.counts.push(event.count)
        combined.set(event.sectionId, entry)
        break
      }
    }
  }
  const hiddenNews = [...hidden.values()].map(({ title, reasons, count }) => {
    const said = count === 1 ? `An idea was hidden in ${title}` : `${countWord(count)} ideas were hidden in ${title}`
    return reasons.size > 0 ? sentenceEnd(`${said}: ${[...reasons].join('; ')}`) : `${said}.`
  })
  const combinedNews = [...combined.values()].map(({ title, counts }) =>
    counts.length === 1 ? `${countWord(counts[0]!)} ideas were combined in ${title}.` : `Similar ideas were combined in ${counts.length} places in ${title}.`,
  )
  const news = [
    ...[...ideas.values()].map(({ title, count }) => `${count} new ${count === 1 ? 'idea' : 'ideas'} in ${title}.`),
    ...hiddenNews,
    ...combinedNews,
    ...[...themes.values()].map(({ title, put }) => (put ? `Ideas were put into themes in ${title}.` : `Themes were changed in ${title}.`)),
    ...[...latest.values()].filter((s) => !s.action).map((s) => s.text),
  ]
  const calls = [...latest.values()].filter((s) => s.action).map((s) => s.text)
  if (calls.length + news.length <= MAX_SENTENCES) return [...news, ...calls].join(' ')
  const room = Math.max(0, MAX_SENTENCES - calls.length)
  const left = news.length - room
  return `${[...calls, ...news.slice(0, room)].join(' ')} And ${left} more ${left === 1 ? 'change' : 'changes'}.`
}
