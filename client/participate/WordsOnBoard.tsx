import { useEffect, useId, useState } from 'react'
import type * as Y from 'yjs'
import type { BoardRecord } from '../../shared/boardRecords.ts'
import { MAX_NOTES_LISTED, wordsOnBoard, type BoardWords } from '../../shared/boardWords.ts'
import { BoardRoot } from '../../shared/docs.ts'

/** A busy board changes many times a second: the list is read again at most this often. */
const READ_EVERY_MS = 1000

/** The board's records as they stand (for a duplicate key, the later entry). */
function currentRecords(doc: Y.Doc): BoardRecord[] {
  const latest = new Map<string, BoardRecord>()
  for (const entry of doc.getArray<{ key: string; val: BoardRecord }>(BoardRoot.records).toArray()) latest.set(entry.key, entry.val)
  return [...latest.values()]
}

/**
 * What people wrote on the board with its own tools (notes, labels), in the list view, so
 * someone who does not use the board (on a phone, with a screen reader) reads them too. Read
 * only: they are changed on the board. Nothing shows until someone has written something.
 */
export function WordsOnBoard({ doc, sections }: { doc: Y.Doc; sections: readonly { sectionId: string; title: string }[] }) {
  const id = useId()
  const [words, setWords] = useState<BoardWords[]>([])
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let shown = ''
    const read = () => {
      timer = null
      const next = wordsOnBoard(currentRecords(doc))
      const key = JSON.stringify(next)
      if (key === shown) return
      shown = key
      setWords(next)
    }
    const soon = () => {
      timer ??= setTimeout(read, READ_EVERY_MS)
    }
    read()
    doc.on('update', soon)
    return () => {
      doc.off('update', soon)
      if (timer) clearTimeout(timer)
    }
  }, [doc])
  if (words.length === 0) return null
  const listed = words.slice(0, MAX_NOTES_LISTED)
  const groups = [...sections.map((section) => ({ key: section.sectionId, title: `In “${section.title}”` })), { key: null, title: 'Elsewhere on the board' }]
    .map((group) => ({ ...group, words: listed.filter((w) => w.sectionId === group.key || (group.key === null && !sections.some((s) => s.sectionId === w.sectionId))) }))
    .filter((group) => group.words.length > 0)
  return (
    <section className="card words-on-board" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Notes on the board</h2>
      <p className="hint">What people wrote on the board itself, top to bottom. Change them on the board.</p>
      {groups.map((group) => (
        <div key={group.key ?? 'elsewhere'}>
          <h3>{group.title}</h3>
          <ul>
            {group.words.map((w) => (
              <li key={w.id} className="board-words">
                {w.text}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {words.length > listed.length && <p className="hint">And {words.length - listed.length} more: see them on the board.</p>}
    </section>
  )
}
