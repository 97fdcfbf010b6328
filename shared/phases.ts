/** A section moves through these phases, forwards or back, only when the facilitator says. */
export const Phase = {
  gather: 'gather',
  discuss: 'discuss',
  vote: 'vote',
  agree: 'agree',
  done: 'done',
} as const
export type Phase = (typeof Phase)[keyof typeof Phase]

export const PHASE_ORDER: readonly Phase[] = [Phase.gather, Phase.discuss, Phase.vote, Phase.agree, Phase.done]

export const isPhase = (value: unknown): value is Phase => typeof value === 'string' && (PHASE_ORDER as readonly string[]).includes(value)

export const PHASE_LABEL: Record<Phase, string> = {
  gather: 'Adding ideas',
  discuss: 'Talking it through',
  vote: 'Voting',
  agree: 'Agreeing',
  done: 'Done',
}

/** Plain-language line for "what happens now" and "who can see what", per phase. */
export const PHASE_GUIDE: Record<Phase, { now: string; next: string }> = {
  gather: {
    now: 'Add your ideas. Nobody can see who wrote what.',
    next: 'Next, the facilitator shows everyone’s ideas together and we talk about them.',
  },
  discuss: {
    now: 'Read the ideas together. Move cards to put similar ideas side by side.',
    next: 'Next, everyone gets the same number of votes.',
  },
  vote: {
    now: 'Put your dots on the ideas that matter most to you. Your votes are secret.',
    next: 'Next, we see the results and agree on the wording together.',
  },
  agree: {
    now: 'Read the draft and say if you agree, can live with it, or object.',
    next: 'Next, the section is finished and goes into the shared vision.',
  },
  done: {
    now: 'This part is finished. Thank you for taking part.',
    next: 'The facilitator will move on to the next part.',
  },
}

/** Enough of a section to say where it is: its phase, and its vote's status once it has one. */
export interface StepState {
  phase: Phase
  title: string
  vote: { status: 'not-started' | 'open' | 'closed'; subject?: 'ideas' | 'themes' }
}

export interface StepGuide {
  /** The step's name for the badge and the "Now:" line; "Workshop finished" at the very end. */
  label: string
  now: string
  next: string
}

export const WORKSHOP_FINISHED: StepGuide = {
  label: 'Workshop finished',
  now: 'Every part is done. Thank you for taking part.',
  next: 'Next, the facilitator shares what we agreed. You can read it at any time on the “What we agreed” page.',
}

/**
 * The now/next words for where a section really is, not just its phase: a closed vote says so,
 * and the last finished section says the workshop is over. The one place these words are chosen.
 */
export function stepGuide(section: StepState, sections: readonly StepState[]): StepGuide {
  const base = { label: PHASE_LABEL[section.phase], ...PHASE_GUIDE[section.phase] }
  if (section.phase === Phase.vote && section.vote.status === 'closed')
    return { ...base, now: 'Vote closed — here are the results.', next: 'Next, we agree on the wording together.' }
  if (section.phase === Phase.vote && section.vote.status === 'open' && section.vote.subject === 'themes')
    return { ...base, now: 'Put your dots on the themes that matter most to you. An idea in no theme counts on its own. Your votes are secret.' }
  if (section.phase === Phase.vote && section.vote.status === 'not-started')
    return { ...base, now: 'The vote opens soon. Everyone will get the same number of dots.' }
  if (section.phase !== Phase.done) return base
  if (sections.every((s) => s.phase === Phase.done)) return WORKSHOP_FINISHED
  const later = sections.find((s) => s.phase !== Phase.done)
  return { ...base, next: later ? `Next, we carry on with “${later.title}”.` : base.next }
}

/** What each phase allows. One table, so the server and the screens agree. */
export const PHASE_ALLOWS = {
  addIdea: [Phase.gather, Phase.discuss],
  editOwnIdea: [Phase.gather, Phase.discuss],
  /** Putting ideas together in themes: settled before the vote, so ballots name fixed things. */
  group: [Phase.gather, Phase.discuss],
  reveal: [Phase.gather, Phase.discuss],
  moderate: [Phase.gather, Phase.discuss, Phase.vote, Phase.agree],
  ballot: [Phase.vote],
  suggest: [Phase.agree],
  propose: [Phase.agree],
  respond: [Phase.agree],
} as const satisfies Record<string, readonly Phase[]>
export type PhaseAction = keyof typeof PHASE_ALLOWS

export const phaseAllows = (phase: Phase, action: PhaseAction): boolean => (PHASE_ALLOWS[action] as readonly Phase[]).includes(phase)
