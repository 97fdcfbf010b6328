import type { ExportModel, ExportRound, ExportSection } from '../../shared/exportModel.ts'
import { orderedIdeas, orderedReasons } from './content.ts'

/** The model as documented in docs/export-schema.md, pretty-printed. */
export function renderJson(model: ExportModel): string {
  return JSON.stringify(pickExportModel(model), null, 2) + '\n'
}

/**
 * Copies only the documented fields. If the builder ever spread a database row into the model
 * (an author key hash, a participant id, a timestamp), TypeScript would not stop it at runtime;
 * this does, so the JSON export never carries more than the schema says. Ideas and reasons are
 * re-sorted for the same reason: no order that could follow submission.
 */
export function pickExportModel(model: ExportModel): ExportModel {
  const { title, exportedOn, createdOn, participantCount } = model.workshop
  return {
    schemaVersion: model.schemaVersion,
    workshop: { title, exportedOn, createdOn, participantCount },
    sections: model.sections.map(pickSection),
  }
}

function pickSection(s: ExportSection): ExportSection {
  const { status, note, text, items } = s.agreement
  return {
    sectionId: s.sectionId,
    kind: s.kind,
    title: s.title,
    prompt: s.prompt,
    phase: s.phase,
    voteHeld: s.voteHeld,
    agreement: { status, note, text, items: items ? [...items] : null },
    rounds: s.rounds.map(pickRound),
    results: s.results && {
      voterCount: s.results.voterCount,
      budget: s.results.budget,
      maxPerIdea: s.results.maxPerIdea,
      ...(s.results.subject === 'themes' ? { subject: s.results.subject } : {}),
      ranked: s.results.ranked.map(({ rank, text, dots, tied, ideas }) => ({ rank, text, dots, tied, ...(ideas ? { ideas: [...ideas] } : {}) })),
    },
    ideas: orderedIdeas(s.ideas).map(({ text, dots, mergedInto, theme }) => ({ text, dots, mergedInto, theme: theme ?? null })),
    hidden: { count: s.hidden.count, reasons: [...s.hidden.reasons].sort() },
    themes: s.themes.map(({ name, ideas }) => ({ name, ideas: [...ideas] })),
  }
}

function pickRound(r: ExportRound): ExportRound {
  const p = r.perspectives
  return {
    roundNumber: r.roundNumber,
    draft: { text: r.draft.text, items: r.draft.items ? [...r.draft.items] : null },
    adoptedSuggestion: r.adoptedSuggestion,
    revisionNote: r.revisionNote,
    counts: { agree: r.counts.agree, canLiveWith: r.counts.canLiveWith, object: r.counts.object },
    reasons: orderedReasons(r).map(({ response, text }) => ({ response, text })),
    outcome: r.outcome,
    threshold: r.threshold,
    perspectives: p === null ? null : 'withheld' in p ? { withheld: p.withheld } : { supportedAcross: p.supportedAcross, of: p.of },
  }
}
