import { describe, expect, it } from 'vitest'
import { sectionFrameId } from '../../shared/boardRecords.ts'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { boardRecordsOf, shapeRecord } from '../helpers/clients.ts'
import { serverWithBrowsers, someoneElseOnTheBoard } from '../helpers/e2e.ts'

const label = (words: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }] })

/** Someone who never opens the board (a phone, a screen reader) still reads what others wrote on it. */
describe('notes on the board, in the list', () => {
  const fixture = serverWithBrowsers()

  it('shows what people wrote on the board under its section, and follows changes', { timeout: 90_000 }, async () => {
    const { server } = fixture
    const { workshop, viewer: ann, other } = await someoneElseOnTheBoard(server)
    try {
      const records = boardRecordsOf(other.doc)
      const withWords = (id: string, words: string, parentId: string) => {
        const base = shapeRecord(id, { parentId, x: 40, y: 60 })
        return { ...base, props: { ...base.props, richText: label(words) } }
      }
      records.set('shape:tea', withWords('tea', 'Tea before we start', sectionFrameId('values')))
      const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: ann.token }, 'list')
      fixture.browsers.push(browser)

      const notes = page.getByRole('region', { name: 'Notes on the board' })
      await expect.poll(() => notes.textContent(), { timeout: 30_000 }).toContain('Tea before we start')
      expect(await notes.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['In “Our values”'])

      records.set('shape:tea', withWords('tea', 'Tea and biscuits before we start', sectionFrameId('values')))
      await expect.poll(() => notes.textContent(), { timeout: 10_000 }).toContain('Tea and biscuits before we start')
      records.delete('shape:tea')
      await expect.poll(() => notes.count(), { timeout: 10_000 }).toBe(0)
    } finally {
      other.destroy()
    }
  })
})
