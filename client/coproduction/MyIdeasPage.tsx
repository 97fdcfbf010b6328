import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { OwnIdea } from '../../shared/ideas.ts'
import { callApi } from '../api.ts'
import { readKeys } from '../participate/myIdeas.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { commitmentsCarrying } from '../../shared/coproduction.ts'
import { IdeaCommitments } from './IdeaCommitments.tsx'
import { decodeReceipt, type Receipt } from './receipt.ts'
import { useCommitments } from './useCommitments.ts'

const STATUS_WORDS: Record<OwnIdea['status'], string> = {
  pending: 'not shown yet',
  published: 'shown to everyone',
  hidden: 'hidden by the facilitator',
  merged: 'combined with a similar idea',
  withdrawn: 'you took it back',
}

/**
 * "What happened to my ideas", months later and without an account: from the keys on this
 * device, or from the receipt code printed at the end of the workshop.
 */
export function MyIdeasPage({ workshopId }: { workshopId: string }) {
  usePageTitle('What happened to my ideas')
  const [receipt, setReceipt] = useState<Receipt | null>(() => {
    const token = session.participantToken(workshopId)
    const ideas = readKeys(workshopId)
    return token && ideas.length > 0 ? { token, ideas } : null
  })
  const [ideas, setIdeas] = useState<OwnIdea[] | null>(null)
  const [code, setCode] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  const commitments = useCommitments(workshopId, receipt?.token ?? null)

  const load = useCallback(async (from: Receipt) => {
    const result = await callApi<{ ideas: OwnIdea[] }>(`/api/workshops/${workshopId}/ideas/mine`, { body: { ideas: from.ideas }, token: from.token })
    if (result.ok) setIdeas(result.value.ideas)
    else setMessage({ text: result.message, error: true })
  }, [workshopId])
  useEffect(() => {
    if (receipt) void load(receipt)
  }, [receipt, load])

  const openReceipt = (event: FormEvent) => {
    event.preventDefault()
    const decoded = decodeReceipt(code)
    if (!decoded) return setMessage({ text: 'That is not a receipt code. Check it was copied in full.', error: true })
    setMessage(null)
    setReceipt(decoded)
  }

  return (
    <main className="page narrow" id="main">
      <h1>What happened to my ideas</h1>
      <p className="lead">Only you can see this. This device (or your receipt) remembers which ideas are yours. Nobody else can link these ideas to you.</p>
      {!receipt && (
        <form onSubmit={openReceipt} className="card">
          <label htmlFor="receipt-code">Your receipt code</label>
          <textarea id="receipt-code" rows={3} value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" />
          <p>
            <button type="submit">Show my ideas</button>
          </p>
        </form>
      )}
      <StatusMessage message={message} />
      {ideas && ideas.length === 0 && <p className="empty">We could not find any of your ideas.</p>}
      {ideas && ideas.length > 0 && (
        <ul className="my-ideas-list">
          {ideas.map((idea) => (
            <li key={idea.ideaId} className="card">
              <p>
                “{idea.text || 'an idea you took back'}” — {STATUS_WORDS[idea.status]}.
              </p>
              {commitments && <PromisesAbout carrying={commitmentsCarrying(idea, commitments)} />}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/w/${workshopId}/agreed`}>What we agreed</a>
      </p>
    </main>
  )
}

function PromisesAbout({ carrying }: { carrying: ReturnType<typeof commitmentsCarrying> }) {
  return carrying.length === 0 ? <p className="hint">No promise has been made about it yet.</p> : <IdeaCommitments commitments={carrying} />
}
