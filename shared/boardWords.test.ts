import { describe, expect, it } from 'vitest'
import { ideaCard, sectionFrame, sectionFrameId } from './boardRecords.ts'
import { MAX_NOTE_CHARS, plainText, wordsOnBoard } from './boardWords.ts'

const note = (id: string, parentId: string, x: number, y: number, paragraphs: string[]) => ({
  id,
  typeName: 'shape',
  type: 'note',
  parentId,
  x,
  y,
  props: { richText: { type: 'doc', content: paragraphs.map((words) => ({ type: 'paragraph', content: words ? [{ type: 'text', text: words }] : [] })) } },
})

describe('words on the board', () => {
  it('reads a note’s rich text as plain lines', () => {
    expect(plainText(note('shape:a', 'page:page', 0, 0, ['Tea first', 'then talk']).props)).toBe('Tea first\nthen talk')
    expect(plainText({ text: ' an older note ' })).toBe('an older note')
    expect(plainText({ richText: { type: 'doc', content: [{ type: 'paragraph' }] } })).toBe('')
  })

  it('lists people’s own notes with their section, in reading order, and leaves out cards, frames and empty shapes', () => {
    const records = [
      sectionFrame('values', 'Our values', 0),
      ideaCard('idea-1', 'values', 0),
      note('shape:lower', sectionFrameId('values'), 10, 300, ['Lower']),
      note('shape:upper-right', sectionFrameId('values'), 400, 20, ['Upper right']),
      note('shape:upper-left', sectionFrameId('values'), 10, 20, ['Upper left']),
      note('shape:loose', 'page:page', 0, 2000, ['On the open board']),
      note('shape:empty', 'page:page', 0, 0, ['']),
    ]
    expect(wordsOnBoard(records)).toEqual([
      { id: 'shape:upper-left', sectionId: 'values', text: 'Upper left' },
      { id: 'shape:upper-right', sectionId: 'values', text: 'Upper right' },
      { id: 'shape:lower', sectionId: 'values', text: 'Lower' },
      { id: 'shape:loose', sectionId: null, text: 'On the open board' },
    ])
  })

  it('cuts a very long note, so one person cannot fill everyone’s list', () => {
    const [long] = wordsOnBoard([note('shape:long', 'page:page', 0, 0, ['x'.repeat(MAX_NOTE_CHARS * 10)])])
    expect([...long!.text]).toHaveLength(MAX_NOTE_CHARS + 1)
    expect(long!.text.endsWith('…')).toBe(true)
  })
})
