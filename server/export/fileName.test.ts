import { describe, expect, it } from 'vitest'
import { asciiSlug, attachmentHeader } from './fileName.ts'

describe('export file names', () => {
  it('names the file after the workshop, ASCII in filename and the real title in filename*', () => {
    expect(attachmentHeader('Our shared vision, March', '2026-03-14', 'pdf')).toBe(
      `attachment; filename="our-shared-vision-march-2026-03-14.pdf"; filename*=UTF-8''Our%20shared%20vision%2C%20March%202026-03-14.pdf`,
    )
  })

  it('keeps accents and other scripts in filename*, and a safe fallback in filename', () => {
    expect(asciiSlug('Café “Crèche” group')).toBe('cafe-creche-group')
    expect(asciiSlug('رؤيتنا المشتركة')).toBe('workshop')
    const header = attachmentHeader('رؤيتنا', '2026-03-14', 'md')
    expect(header).toContain('filename="workshop-2026-03-14.md"')
    expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe('رؤيتنا 2026-03-14.md')
  })

  it('never lets a title break the header or the path', () => {
    const header = attachmentHeader('a"b\r\nX-Evil: 1/../c\\d', '2026-03-14', 'csv')
    expect(header).not.toMatch(/[\r\n]/)
    expect(header).toContain('filename="a-b-x-evil-1-c-d-2026-03-14.csv"')
    expect(header.split("UTF-8''")[1]).toMatch(/^[A-Za-z0-9%._~-]+$/)
  })
})
