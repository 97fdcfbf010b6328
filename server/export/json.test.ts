import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EXPORT_SCHEMA_VERSION, type ExportModel } from '../../shared/exportModel.ts'
import { sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { renderJson } from './json.ts'

/** Every key path in a JSON value, array positions folded: "sections[].rounds[].counts.agree". */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, `${path}[]`))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${path}${path ? '.' : ''}${k}`, ...keyPaths(v, `${path}${path ? '.' : ''}${k}`)])
  }
  return []
}

describe('JSON export', () => {
  it('parses back to the model, versioned', () => {
    const model = sampleExportModel()
    const parsed = JSON.parse(renderJson(model)) as ExportModel
    expect(parsed).toEqual(model)
    expect(parsed.schemaVersion).toBe(EXPORT_SCHEMA_VERSION)
  })

  it('documents every field it writes in docs/export-schema.md', () => {
    const docs = readFileSync(new URL('../../docs/export-schema.md', import.meta.url), 'utf8')
    const paths = new Set(keyPaths(JSON.parse(renderJson(sampleExportModel()))))
    expect(paths.size).toBeGreaterThan(30)
    for (const path of paths) expect(docs, `docs/export-schema.md should describe ${path}`).toContain(`\`${path}\``)
  })

  it('writes only the documented fields, even if the model carries more at runtime', () => {
    const model = sampleExportModel()
    // As if a database row had been spread into the model.
    Object.assign(model.workshop, { facilitatorKeyHash: 'fk_2b7e151628aed2a6abf71589' })
    Object.assign(model.sections[0]!.ideas[0]!, { authorKeyHash: 'ak_9f8e7d6c5b4a3928', createdAt: '2026-03-02T10:41:07.123Z' })
    Object.assign(model.sections[0]!.rounds[0]!.reasons[0]!, { participantId: 'p_3J8kQ2mZx9LwT4vB' })
    const json = renderJson(model)
    for (const leaked of ['facilitatorKeyHash', 'fk_2b7e', 'authorKeyHash', 'ak_9f8e', 'createdAt', '10:41', 'participantId', 'p_3J8k']) {
      expect(json).not.toContain(leaked)
    }
    expect(JSON.parse(json)).toEqual(sampleExportModel())
  })

  it('orders ideas and reasons by content, not by the order they came in', () => {
    const model = sampleExportModel()
    const vision = model.sections[0]!
    vision.ideas.reverse()
    vision.rounds[0]!.reasons.reverse()
    const parsed = JSON.parse(renderJson(model)) as ExportModel
    expect(parsed.sections[0]!.ideas).toEqual(sampleExportModel().sections[0]!.ideas)
    expect(parsed.sections[0]!.rounds[0]!.reasons.map((r) => r.response)).toEqual(['object', 'agree'])
  })

  it('keeps accents, other scripts and emoji as they were typed', () => {
    const json = renderJson(sampleExportModel())
    for (const s of ['Zażółć gęślą jaźń', 'café', 'مرحبا', 'সবাইকে স্বাগতম', 'ਸਤ ਸ੍ਰੀ ਅਕਾਲ', '你好', '😊']) expect(json).toContain(s)
  })
})
