import { useCallback, useEffect, useId, useState } from 'react'
import { dotsUsed } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'

interface Ballot {
  dots: Record<string, number>
  used: number
  remaining: number
}

const dotWord = (n: number) => `${n} ${n === 1 ? 'dot' : 'dots'}`

/**
 * Voting with buttons (no dragging): each idea has a toggle, or add/remove buttons when more
 * than one dot per idea is allowed. The remaining dots are always shown and announced.
 */
export function VotePanel({ workshopId, token, section, ideas }: { workshopId: string; token: string; section: Section; ideas: PublicIdea[] }) {
  const id = useId()
  const { budget, maxPerIdea } = section.vote.settings
  const [dots, setDots] = useState<Record<string, number>>({})
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const path = `/api/workshops/${workshopId}/sections/${section.sectionId}/ballot`

  useEffect(() => {
    let cancelled = false
    void callApi<Ballot>(path, { token }).then((result) => {
      if (!cancelled && result.ok) setDots(result.value.dots)
    })
    return () => {
      cancelled = true
    }
  }, [path, token, section.vote.round])

  const save = useCallback(
    async (next: Record<string, number>) => {
      const previous = dots
      setDots(next)
      setSaving(true)
      const result = await callApi<Ballot>(path, { method: 'PUT', body: { dots: next }, token })
      setSaving(false)
      if (result.ok) {
        setDots(result.value.dots)
        setError(null)
      } else {
        setDots(previous)
        setError(result.message)
      }
    },
    [dots, path, token],
  )

  const used = dotsUsed(dots)
  const remaining = budget - used
  const change = (ideaId: string, by: number) => {
    const current = dots[ideaId] ?? 0
    const value = Math.max(0, Math.min(maxPerIdea, current + by))
    if (by > 0 && remaining <= 0) return setError(`You have used all ${dotWord(budget)}. Take a dot off another idea first.`)
    void save({ ...dots, [ideaId]: value })
  }

  return (
    <div className="vote-panel" aria-labelledby={`${id}-h`} role="group">
      <h3 id={`${id}-h`}>Your votes</h3>
      <p className="hint">
        Everyone has {dotWord(budget)}, at most {dotWord(maxPerIdea)} on one idea. Your votes are secret: nobody, not even the facilitator, can see them.
      </p>
      <p className="dots-left" role="status" aria-live="polite">
        <span aria-hidden="true">{'●'.repeat(remaining)}{'○'.repeat(used)} </span>
        You have {remaining} of {dotWord(budget)} left{saving ? ' (saving…)' : ''}.
      </p>
      <ul className="vote-list">
        {ideas.map((idea) => {
          const mine = dots[idea.ideaId] ?? 0
          return (
            <li key={idea.ideaId} className="vote-item">
              <p className="idea-text">{idea.text}</p>
              {maxPerIdea === 1 ? (
                <button type="button" aria-pressed={mine > 0} onClick={() => change(idea.ideaId, mine > 0 ? -1 : 1)} aria-label={`Vote for: ${idea.text}`}>
                  {mine > 0 ? '● Voted' : '○ Vote'}
                </button>
              ) : (
                <div className="button-row">
                  <button type="button" onClick={() => change(idea.ideaId, -1)} disabled={mine === 0} aria-label={`Take a dot off: ${idea.text}`}>
                    −
                  </button>
                  <span className="my-dots" aria-label={`${dotWord(mine)} on this idea`}>
                    {dotWord(mine)}
                  </span>
                  <button type="button" onClick={() => change(idea.ideaId, 1)} disabled={mine >= maxPerIdea} aria-label={`Add a dot to: ${idea.text}`}>
                    +
                  </button>
                </div>
              )}
            </li>
          )
        })}
      </ul>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
