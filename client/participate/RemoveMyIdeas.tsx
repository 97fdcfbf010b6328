import { useId, useState } from 'react'
import { wordsFixed } from '../../shared/ideas.ts'
import { phaseAllows } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import type { MyIdeas } from './myIdeas.ts'

/** Said when a request to leave words out waits (server/services/ExportOptOutService.ts says why). */
export const OPT_OUT_WAITING =
  'Saved. So that nobody can tell this idea is yours, its words are left out together with other people’s requests: once 3 people have asked, or from tomorrow. Until then an export may still show them.'

/**
 * "Remove my ideas": withdraws, in one step, every idea this device holds keys for in sections
 * whose vote has not opened. Ideas in a section that has reached the vote stay, and it says why.
 */
export function RemoveMyIdeas({ myIdeas, sections }: { myIdeas: MyIdeas; sections: readonly Section[] }) {
  const id = useId()
  const [confirming, setConfirming] = useState(false)
  const [status, setStatus] = useState<Message | null>(null)
  const sectionOf = new Map(sections.map((section) => [section.sectionId, section]))
  const mine = myIdeas.ideas.filter((idea) => idea.status !== 'withdrawn')
  const removable = mine.filter((idea) => {
    const section = sectionOf.get(idea.sectionId)
    return section && idea.status !== 'hidden' && idea.status !== 'merged' && phaseAllows(section.phase, 'editOwnIdea') && !wordsFixed(section, idea.status)
  })
  const staying = mine.filter((idea) => !removable.includes(idea))
  const exported = staying.filter((idea) => idea.status === 'published' || idea.status === 'merged')
  /** Ideas asked about on this page: true once left out, false while the request waits for others. */
  const [leftOut, setLeftOut] = useState<ReadonlyMap<string, boolean>>(new Map())
  if (mine.length === 0 && !status) return null

  const removeAll = async () => {
    setConfirming(false)
    let failed = 0
    for (const idea of removable) if (!(await myIdeas.withdraw(idea.ideaId)).ok) failed += 1
    const removed = removable.length - failed
    setStatus(
      failed === 0
        ? { text: `Removed ${removed} ${removed === 1 ? 'idea' : 'ideas'}. Nobody can see ${removed === 1 ? 'it' : 'them'} any more.`, error: false }
        : { text: `${failed} of your ideas could not be removed. The vote may have opened. Please try again.`, error: true },
    )
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Remove my ideas</h2>
      {removable.length > 0 &&
        (confirming ? (
          <div role="group" aria-label="Remove all your ideas?">
            <p>
              This takes back all {removable.length} {removable.length === 1 ? 'idea' : 'ideas'} you wrote on this device, for everyone. You cannot undo
              it.
            </p>
            <div className="button-row">
              <button type="button" className="danger" onClick={() => void removeAll()}>
                Yes, remove my ideas
              </button>
              {/* The button that asked is gone: focus goes to the safe answer. */}
              <button type="button" autoFocus onClick={() => setConfirming(false)}>
                Keep them
              </button>
            </div>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Remove my ideas
          </button>
        ))}
      {staying.length > 0 && (
        <p>
          {staying.length === 1 ? 'One of your ideas stays' : `${staying.length} of your ideas stay`}: people have voted on{' '}
          {staying.length === 1 ? 'it' : 'them'}, or the facilitator combined or hid {staying.length === 1 ? 'it' : 'them'}. Taking back an idea people have voted on would change their
          votes, so it stays to keep the count fair. It still shows no name.
        </p>
      )}
      {exported.length > 0 && (
        <ul className="plain-list">
          {exported.map((idea) => (
            <li key={idea.ideaId}>
              “{idea.text}”{' '}
              {leftOut.has(idea.ideaId) ? (
                <span>{leftOut.get(idea.ideaId) ? '— its words are left out of exports.' : '— its words will be left out of exports (waiting, see below).'}</span>
              ) : (
                <button
                  type="button"
                  aria-label={`Leave out of exports: ${idea.text}`}
                  onClick={async () => {
                    const result = await myIdeas.leaveOutOfExports(idea.ideaId)
                    if (!result.ok) return setStatus({ text: result.message, error: true })
                    setLeftOut(new Map([...leftOut, [idea.ideaId, !result.value.waiting]]))
                    setStatus({ text: result.value.waiting ? OPT_OUT_WAITING : 'Done. Exports and the “What we agreed” page will not show its words.', error: false })
                  }}
                >
                  Leave out of exports
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <StatusMessage message={status} />
    </section>
  )
}
