import { useId, useState } from 'react'
import { wordsFixed } from '../../shared/ideas.ts'
import { phaseAllows } from '../../shared/phases.ts'
import { formatDay } from '../../shared/days.ts'
import type { Section } from '../../shared/sections.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import type { MyIdeas } from './myIdeas.ts'

/** Said when a request to leave words out waits (server/services/ExportOptOutService.ts says why). */
export const OPT_OUT_WAITING =
  'Saved. So that nobody can tell this idea is yours, its words are left out together with other people’s, once 3 people have asked. Until then an export may still show them.'
/** The choice to stop waiting for others, and what it gives away. */
export const OPT_OUT_ALONE_WARNING = 'If nobody else asks, someone who saw you ask could tell this idea is yours when it disappears.'

/** Where an idea asked about on this page stands. */
type Asked = { leftOut: true } | { leftOut: false; aloneFrom: string | null }

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
  /** Ideas asked about on this page, and where each stands. */
  const [asked, setAsked] = useState<ReadonlyMap<string, Asked>>(new Map())
  if (mine.length === 0 && !status) return null

  const leaveOut = async (ideaId: string, fromTomorrow: boolean) => {
    const result = await myIdeas.leaveOutOfExports(ideaId, fromTomorrow)
    if (!result.ok) return setStatus({ text: result.message, error: true })
    const { waiting, aloneFrom } = result.value
    setAsked(new Map([...asked, [ideaId, waiting ? { leftOut: false, aloneFrom } : { leftOut: true }]]))
    setStatus({
      text: !waiting
        ? 'Done. Exports and the “What we agreed” page will not show its words.'
        : aloneFrom
          ? `Saved. Its words are left out from ${formatDay(aloneFrom)}, or sooner if other people ask too.`
          : OPT_OUT_WAITING,
      error: false,
    })
  }

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
              <AskedState
                text={idea.text}
                asked={asked.get(idea.ideaId) ?? null}
                onAsk={(fromTomorrow) => void leaveOut(idea.ideaId, fromTomorrow)}
              />
            </li>
          ))}
        </ul>
      )}
      <StatusMessage message={status} />
    </section>
  )
}

/** One idea's "Leave out of exports": the button, then where the request stands and the choice not to wait. */
function AskedState({ text, asked, onAsk }: { text: string; asked: Asked | null; onAsk: (fromTomorrow: boolean) => void }) {
  const id = useId()
  if (!asked)
    return (
      <button type="button" aria-label={`Leave out of exports: ${text}`} onClick={() => onAsk(false)}>
        Leave out of exports
      </button>
    )
  if (asked.leftOut) return <span>— its words are left out of exports.</span>
  if (asked.aloneFrom) return <span>— its words will be left out of exports from {formatDay(asked.aloneFrom)}.</span>
  return (
    <>
      <span>— its words will be left out of exports once other people ask too.</span>
      <span className="hint" id={`${id}-warn`}>
        {' '}
        {OPT_OUT_ALONE_WARNING}
      </span>{' '}
      <button type="button" className="small" aria-label={`Leave it out from tomorrow anyway: ${text}`} aria-describedby={`${id}-warn`} onClick={() => onAsk(true)}>
        Leave it out from tomorrow anyway
      </button>
    </>
  )
}
