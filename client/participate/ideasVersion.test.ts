import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initialVoteState } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { Phase } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { readState, writeIdea, writeSection } from '../../shared/stateDoc.ts'
import { ideasVersion } from './myIdeas.ts'

const section = (pendingCount: number, votedCount = 0): Section => ({
  sectionId: 'values',
  kind: 'values',
  title: 'Our values',
  prompt: '',
  phase: Phase.vote,
  order: 0,
  hiddenUntilReveal: true,
  revealed: true,
  pendingCount,
  vote: { ...initialVoteState(), votedCount },
})

describe('ideasVersion', () => {
  it('changes when ideas are shown or wait, not with every ballot', () => {
    const doc = new Y.Doc()
    writeSection(doc, section(2))
    const waiting = ideasVersion(readState(doc))
    writeSection(doc, section(2, 5))
    expect(ideasVersion(readState(doc))).toBe(waiting)
    writeSection(doc, section(0, 5))
    const idea: PublicIdea = { ideaId: 'i1', sectionId: 'values', kind: 'idea', text: 'Be kind', status: 'published', mergedInto: null, mergedFrom: [], position: 1, hiddenReason: null }
    writeIdea(doc, idea)
    expect(ideasVersion(readState(doc))).not.toBe(waiting)
  })
})
