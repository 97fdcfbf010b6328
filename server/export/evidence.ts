import { CHECKOUT_QUESTIONS, ladderRung, notKeptNote, QUESTION_LABEL, STATUS_LABEL, type CheckoutQuestion, type CheckoutSummary, type CommitmentStatus } from '../../shared/coproduction.ts'
import { TAKING_PART_WAITS, type EvidenceModel } from '../../shared/programme.ts'
import { formatDay, type Block } from './content.ts'
import { renderDocxOutline } from './docx.ts'
import { renderPdfOutline } from './pdf.ts'

export const EVIDENCE_TITLE = 'Evidence of co-production'

export interface EvidenceRenderer {
  pdf(model: EvidenceModel): Promise<Uint8Array>
  docx(model: EvidenceModel): Promise<Uint8Array>
}

export const evidenceRenderer: EvidenceRenderer = {
  pdf: (model) => renderPdfOutline(buildEvidenceOutline(model), meta(model)),
  docx: (model) => renderDocxOutline(buildEvidenceOutline(model), meta(model)),
}

const meta = (model: EvidenceModel) => ({ title: model.programme.title, subject: EVIDENCE_TITLE, day: model.programme.exportedOn })

const SCALE_MAX: Record<CheckoutQuestion, number> = { rung: 7, heard: 5, safe: 5, equal: 5 }

/** A chart in plain characters every font has: "[####...] 4.3 of 7". */
export function textBar(value: number, max: number): string {
  const filled = Math.round(value)
  return `[${'#'.repeat(filled)}${'.'.repeat(Math.max(0, max - filled))}] ${value} of ${max}`
}

/** The evidence pack's outline, shared by the PDF and Word renderers. Plain UK English. */
export function buildEvidenceOutline(model: EvidenceModel): Block[] {
  const blocks: Block[] = [
    { type: 'title', text: model.programme.title },
    { type: 'subtitle', text: EVIDENCE_TITLE },
    {
      type: 'paragraph',
      style: 'note',
      text: `Made on ${formatDay(model.programme.exportedOn)}. The programme started on ${formatDay(model.programme.createdOn)}. Everything here was given anonymously. Groups with fewer than 3 people are not shown, so nobody can be picked out.`,
    },
    { type: 'heading', level: 1, text: 'What we agreed' },
  ]
  for (const text of model.agreedTexts) {
    blocks.push({ type: 'heading', level: 2, text: text.title })
    if (!text.current) {
      blocks.push({ type: 'paragraph', style: 'note', text: 'Not agreed yet.' })
      continue
    }
    if (text.current.text) blocks.push({ type: 'paragraph', style: 'statement', text: text.current.text, dir: 'auto' })
    if (text.current.items) blocks.push({ type: 'list', ordered: true, items: text.current.items, dir: 'auto' })
    blocks.push({
      type: 'list',
      ordered: false,
      items: text.history.map((h) => `${formatDay(h.day)}, ${h.workshopTitle}: ${h.changed ? 'the wording changed' : h === text.history[0] ? 'first agreed' : 'agreed again, unchanged'}.`),
    })
  }

  blocks.push({ type: 'heading', level: 1, text: 'Who took part' })
  for (const workshop of model.workshops) {
    blocks.push({ type: 'heading', level: 2, text: `${workshop.title} (${formatDay(workshop.day)})` })
    blocks.push(
      workshop.takingPartWaits
        ? { type: 'paragraph', style: 'note', text: TAKING_PART_WAITS }
        : workshop.takingPart.length === 0
          ? { type: 'paragraph', style: 'note', text: 'Nobody joined.' }
          : { type: 'list', ordered: false, items: workshop.takingPart.map((g) => `${g.label}: ${g.count.shown ? g.count.count : g.count.note}`) },
    )
  }

  blocks.push({ type: 'heading', level: 1, text: 'How it felt: the ladder and the check-out' })
  blocks.push({
    type: 'paragraph',
    style: 'note',
    text: 'At the end of each workshop people could say where the work sits on the engagement ladder (1 is coercion, 7 is co-production). They could also say if they were heard, felt safe and were treated as equals (1 to 5).',
  })
  for (const question of CHECKOUT_QUESTIONS) {
    blocks.push({ type: 'heading', level: 2, text: QUESTION_LABEL[question] })
    blocks.push({ type: 'list', ordered: false, items: model.workshops.map((w) => `${w.title}: ${trendLine(w.checkout, question)}`) })
  }
  const gaps = model.workshops.filter((w) => w.checkout.perceptionGap)
  blocks.push({ type: 'heading', level: 2, text: 'Staff and people with lived experience, side by side' })
  blocks.push(
    gaps.length === 0
      ? { type: 'paragraph', style: 'note', text: 'Not shown: no workshop had at least 3 answers from both groups.' }
      : {
          type: 'list',
          ordered: false,
          items: gaps.flatMap((w) =>
            w.checkout.perceptionGap!.map((row) => `${w.title}, ${QUESTION_LABEL[row.question]}: lived experience ${row.livedExperience}, staff ${row.staff}.`),
          ),
        },
  )

  blocks.push({ type: 'heading', level: 1, text: 'You said, we did' })
  if (model.commitments.length === 0) blocks.push({ type: 'paragraph', style: 'note', text: 'No commitments yet.' })
  for (const c of model.commitments) {
    blocks.push({ type: 'heading', level: 3, text: c.text })
    const lines = [`Who: ${c.ownerRole}`, `Status: ${STATUS_LABEL[c.status as CommitmentStatus] ?? c.status}`, ...(c.due ? [`Due: ${formatDay(c.due)}`] : [])]
    lines.push(...c.updates.map((u) => `${formatDay(u.day)}: ${STATUS_LABEL[u.status as CommitmentStatus] ?? u.status}${u.note ? ` — ${u.note}` : ''}`))
    blocks.push({ type: 'list', ordered: false, items: lines })
  }

  blocks.push({ type: 'heading', level: 1, text: 'What changed for people' })
  blocks.push(
    model.reflections.length === 0
      ? { type: 'paragraph', style: 'note', text: 'None to show yet (we show them only when at least 3 people checked out).' }
      : { type: 'list', ordered: false, items: model.reflections, dir: 'auto' },
  )
  return blocks
}

function trendLine(summary: CheckoutSummary, question: CheckoutQuestion): string {
  if (summary.waits) return 'shown from the day after the workshop'
  const max = SCALE_MAX[question]
  if (summary.overall) {
    const mean = summary.overall.answers[question].mean
    const rung = question === 'rung' ? ` (${ladderRung(Math.round(mean))?.name ?? ''})` : ''
    return `${textBar(mean, max)}${rung}, from ${summary.overall.count} people`
  }
  const shown = summary.groups.filter((g) => g.shown)
  if (shown.length === 0) return summary.groups.length > 0 ? 'fewer than 3 answers' : summary.notKept > 0 ? notKeptNote(summary.notKept) : 'no answers'
  return shown.map((g) => (g.shown ? `${g.label}: ${textBar(g.answers[question].mean, max)}` : '')).join('; ') + '; other groups had fewer than 3'
}
