import { beforeAll, describe, expect, it } from 'vitest'
import type { ExportModel } from '../../shared/exportModel.ts'
import { sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { renderCsv } from './csv.ts'
import { renderDocx } from './docx.ts'
import { renderJson } from './json.ts'
import { renderMarkdown } from './markdown.ts'
import { renderPdf } from './pdf.ts'
import { readPdf, unzipText } from './readBack.testkit.ts'

/** What the server knows about the people in this workshop, and must never export. */
const PEOPLE = {
  pseudonyms: ['Quiet Heron', 'Amber Fox', 'Blue Otter'],
  participantIds: ['p_3J8kQ2mZx9LwT4vB7nR1c', 'p_Hq5tV0cYw2NsE8uK4mA6d'],
  tokens: ['pt_e0c1f3a9b27d4c58a6b1', 'fk_2b7e151628aed2a6abf71589'],
  authorKeyHashes: ['akh_9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
  submittedAt: ['2026-03-02T10:41:07.123Z', '2026-03-02T10:43:55.901Z'],
}
const SECRETS = Object.values(PEOPLE).flat()

/**
 * The sample workshop as a careless builder might hand it over: database rows spread into the
 * model, so participants' details ride along in fields the schema does not have.
 */
function leakyModel(): ExportModel {
  const model = sampleExportModel()
  Object.assign(model.workshop, { facilitatorKey: PEOPLE.tokens[1], participants: PEOPLE.pseudonyms.map((name, i) => ({ name, id: PEOPLE.participantIds[i] })) })
  for (const section of model.sections) {
    section.ideas.forEach((idea, i) =>
      Object.assign(idea, { authorKeyHash: PEOPLE.authorKeyHashes[0], createdAt: PEOPLE.submittedAt[i % 2], authorPseudonym: PEOPLE.pseudonyms[i % 3] }),
    )
    for (const round of section.rounds) {
      round.reasons.forEach((reason, i) => Object.assign(reason, { participantId: PEOPLE.participantIds[i % 2], token: PEOPLE.tokens[0] }))
    }
    Object.assign(section, { ballots: [{ participantId: PEOPLE.participantIds[0], dots: { x: 1 } }] })
  }
  return model
}

/** Every text a reader or a program could get out of each format. */
async function allOutputs(model: ExportModel): Promise<Record<string, string>> {
  const pdfBytes = await renderPdf(model)
  const pdf = await readPdf(pdfBytes)
  const docx = unzipText(await renderDocx(model))
  return {
    md: renderMarkdown(model),
    csv: renderCsv(model),
    json: renderJson(model),
    'pdf text': pdf.text,
    'pdf info': JSON.stringify(pdf.info),
    ...Object.fromEntries(Object.entries(docx).map(([name, xml]) => [`docx ${name}`, xml])),
  }
}

describe('exports and privacy', () => {
  let outputs: Record<string, string>
  beforeAll(async () => {
    outputs = await allOutputs(leakyModel())
  })

  it('carries no pseudonym, participant id, token, author key or submission time in any format', () => {
    for (const [format, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) expect(text, `${format} must not contain ${secret}`).not.toContain(secret)
    }
  })

  it('holds no time of day anywhere: dates are days, stamped at midnight where a format needs a time', () => {
    for (const [format, text] of Object.entries(outputs)) {
      const times = text.replace(/T00:00:00Z/g, '').match(/\b\d{1,2}:\d{2}(:\d{2})?\b/g)
      expect(times, format).toBeNull()
      // PDF dates are written D:YYYYMMDDHHmmSS.
      for (const [, time] of text.matchAll(/D:\d{8}(\d{6})/g)) expect(time, format).toBe('000000')
    }
  })

  it('adds no identifier of its own (UUIDs, random ids) to any format', () => {
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i)
      // 16+ characters mixing letters and digits, like nanoid or hex ids (namespace URLs have no digits in a run).
      // Word's theme names its fonts by PANOSE class (10 fixed bytes in hex): a font's shape, not an id.
      const scanned = text.replace(/panose="[0-9A-F]{20}"/g, '')
      const tokens = (scanned.match(/[A-Za-z0-9_-]{16,}/g) ?? []).filter((t) => /\d/.test(t) && /[A-Za-z]/.test(t))
      expect(tokens, format).toEqual([])
    }
  })

  it('lists ideas in the same order whatever order they were submitted in', async () => {
    const shuffled = sampleExportModel()
    for (const section of shuffled.sections) section.ideas = [...section.ideas.filter((_, i) => i % 2 === 1), ...section.ideas.filter((_, i) => i % 2 === 0)]
    const reordered = await allOutputs(shuffled)
    const reference = await allOutputs(sampleExportModel())
    for (const format of ['md', 'csv', 'json', 'pdf text', 'docx word/document.xml']) expect(reordered[format], format).toBe(reference[format])
  })
})
