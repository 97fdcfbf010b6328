import type { ExportModel, ExportSection } from '../../shared/exportModel.ts'
import {
  agreementStatusLine,
  countsLine,
  dotsLabel,
  ideaDotsLabel,
  withoutVote,
  hiddenReasonCounts,
  notAgreedLine,
  orderedIdeas,
  orderedReasons,
  perspectivesLine,
  plural,
} from './content.ts'

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** Columns, in order. docs/export-schema.md describes each one and every `record` kind. */
export const CSV_COLUMNS = ['section_id', 'section', 'record', 'position', 'text', 'dots', 'tied', 'count', 'status', 'note'] as const
type Column = (typeof CSV_COLUMNS)[number]
type Row = Partial<Record<Column, string | number | null>>

/**
 * One row per line of the outcome, in the same order as the documents: agreed texts, vote
 * results, consent rounds and their reasons, every idea, then hidden ideas as counts.
 * UTF-8 with a byte order mark (so Excel reads the accents), CRLF line ends and RFC 4180 quoting.
 */
export function renderCsv(model: ExportModel): string {
  const rows: Row[] = model.sections.flatMap((section) => sectionRows(section).map((row) => ({ ...row, section_id: section.sectionId, section: section.title })))
  const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))]
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

function sectionRows(section: ExportSection): Row[] {
  const { agreement } = section
  const rows: Row[] = []
  if (agreement.status !== 'agreed') {
    rows.push({ record: 'agreement', status: agreement.status, note: notAgreedLine(section) })
  } else {
    const note = agreementStatusLine(section)
    if (agreement.text) rows.push({ record: 'agreed-text', text: agreement.text, status: 'agreed', note })
    agreement.items?.forEach((text, i) => rows.push({ record: 'agreed-item', position: i + 1, text, status: 'agreed', note }))
  }
  for (const r of section.results?.ranked ?? []) {
    const note = r.ideas ? `Theme. Its ideas: ${r.ideas.join('; ') || 'none still shown'}` : undefined
    rows.push({ record: 'result', position: r.rank, text: r.text, dots: r.dots, tied: r.tied ? 'yes' : 'no', ...(note ? { note } : {}) })
  }
  for (const round of section.rounds) {
    const draft = round.draft.text ?? round.draft.items?.map((item, i) => `${i + 1}. ${item}`).join('\n') ?? ''
    const notes = [
      round.revisionNote && `What changed: ${round.revisionNote}`,
      round.adoptedSuggestion && `Suggestion used: ${round.adoptedSuggestion}`,
      countsLine(round),
      perspectivesLine(round),
    ]
    rows.push({ record: 'round', position: round.roundNumber, text: draft, status: round.outcome, note: notes.filter(Boolean).join(' ') })
    for (const reason of orderedReasons(round)) {
      rows.push({ record: 'reason', position: round.roundNumber, text: reason.text, status: reason.response })
    }
  }
  for (const idea of orderedIdeas(section.ideas)) {
    const merged = idea.mergedInto !== null
    const dotsNote = idea.dots === null && !withoutVote(section) ? `${capitalise(ideaDotsLabel(idea, section.results?.subject === 'themes'))}.` : null
    const notes = [merged ? `Joined with: ${idea.mergedInto}` : dotsNote, idea.theme ? `Theme: ${idea.theme}` : null]
    const note = notes.filter(Boolean).join(' ') || null
    rows.push({ record: 'idea', text: idea.text, dots: idea.dots, status: merged ? 'merged' : null, note })
  }
  if (section.hidden.count > 0) {
    for (const { reason, count } of hiddenReasonCounts(section.hidden)) {
      rows.push({ record: 'hidden', text: reason, count, note: `${plural(count, 'idea', 'ideas')} hidden by the facilitator.` })
    }
  }
  return rows
}

// Cells a spreadsheet would read as a formula (also the full-width forms some spreadsheets fold
// to ASCII). A leading apostrophe makes them plain text.
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/

/** One RFC 4180 cell, neutralised against formula injection. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
