import { useEffect, useId, useRef, useState } from 'react'
import { dotsUsed, subjectOf, voteItems } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { callApi } from '../api.ts'
import { announce } from '../announce/announcer.ts'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'
import { IdeaText } from './IdeaText.tsx'
import { ideaWords, useOpenedNotes } from './openedNotes.ts'

interface Ballot {
  dots: Record<string, number>
  used: number
  remaining: number
}

const dotWord = (n: number) => `${n} ${n === 1 ? 'dot' : 'dots'}`

/**
 * Voting with buttons (no dragging): each idea has a toggle, or add/remove buttons when more
 * than one dot per idea is allowed. The remaining dots are always shown and read out. Presses
 * are applied at once on screen and sent one ballot at a time, so fast presses all count.
 */
export function VotePanel({ workshopId, token, section, ideas, themes }: { workshopId: string; token: string; section: Section; ideas: PublicIdea[]; themes: PublicTheme[] }) {
  const id = useId()
  const { budget, maxPerIdea } = section.vote.settings
  const [dots, setDots] = useState<Record<string, number>>({})
  const [error, setError, errorTimes] = useFieldError()
  const [saving, setSaving] = useState(false)
  const opened = useOpenedNotes()
  const path = `/api/workshops/${workshopId}/sections/${section.sectionId}/ballot`
  // The ballot as the person wants it now, and whether a send is on its way.
  const wanted = useRef<Record<string, number>>({})
  const inFlight = useRef(false)
  const confirmed = useRef<Record<string, number>>({})
  // Presses made before the saved ballot has loaded win over it (a slow load must not undo them).
  const touched = useRef(false)

  useEffect(() => {
    let cancelled = false
    touched.current = false
    setReturned(0)
    void callApi<Ballot>(path, { token }).then((result) => {
      if (cancelled || !result.ok) return
      confirmed.current = result.value.dots
      if (touched.current) return
      wanted.current = result.value.dots
      confirmed.current = result.value.dots
      setDots(result.value.dots)
    })
    return () => {
      cancelled = true
    }
  }, [path, token, section.vote.round])

  const flush = async () => {
    if (inFlight.current) return
    inFlight.current = true
    setSaving(true)
    for (;;) {
      const sending = wanted.current
      const result = await callApi<Ballot>(path, { method: 'PUT', body: { dots: sending }, token })
      if (!result.ok) {
        // Put the screen back to what the server holds, and say why.
        wanted.current = confirmed.current
        setDots(confirmed.current)
        setError(result.message)
        break
      }
      confirmed.current = result.value.dots
      setError(null)
      if (wanted.current === sending) {
        setDots(result.value.dots)
        announce(`Saved. You have ${budget - result.value.used} of ${dotWord(budget)} left.`)
        break
      }
    }
    inFlight.current = false
    setSaving(false)
  }

  // What the dots go on: each idea, or in a theme vote each theme and each idea in no theme.
  const onThemes = subjectOf(section.vote) === 'themes'
  const byId = new Map(ideas.map((idea) => [idea.ideaId, idea]))
  const items = onThemes
    ? voteItems(ideas, themes).map((item) => ({ itemId: item.itemId, name: item.name, ideas: item.ideaIds.flatMap((ideaId) => byId.get(ideaId) ?? []) }))
    : ideas.map((idea) => ({ itemId: idea.ideaId, name: null, ideas: [idea] }))
  // An idea the facilitator hid or merged leaves the vote, and the server gives its dots back.
  const itemKey = items.map((item) => item.itemId).join(' ')
  const [returned, setReturned] = useState(0)
  useEffect(() => {
    const present = new Set(itemKey.split(' '))
    const keep = (ballot: Record<string, number>) => Object.fromEntries(Object.entries(ballot).filter(([itemId]) => present.has(itemId)))
    const back = dotsUsed(wanted.current) - dotsUsed(keep(wanted.current))
    if (back === 0) return
    wanted.current = keep(wanted.current)
    confirmed.current = keep(confirmed.current)
    setDots(wanted.current)
    setReturned(back)
    announce(`An idea you voted for was taken out of the vote. Your ${dotWord(back)} on it ${back === 1 ? 'is' : 'are'} back for you to use.`)
  }, [itemKey])
  const used = dotsUsed(dots)
  const remaining = budget - used
  const change = (ideaId: string, by: number) => {
    touched.current = true
    const current = wanted.current[ideaId] ?? 0
    const value = Math.max(0, Math.min(maxPerIdea, current + by))
    // With one dot an idea there is no "Take a dot off" button: the words name the button there is.
    const takeOff = maxPerIdea === 1 ? 'Press ✓ Vote again on another idea to take that dot off first.' : 'Take a dot off another idea first.'
    if (by > 0 && budget - dotsUsed(wanted.current) <= 0) return setError(`You have used all ${dotWord(budget)}. ${takeOff}`)
    wanted.current = { ...wanted.current, [ideaId]: value }
    setDots(wanted.current)
    void flush()
  }

  return (
    <div className="vote-panel" aria-labelledby={`${id}-h`} role="group">
      <h3 id={`${id}-h`}>Your votes</h3>
      <p className="hint">
        {onThemes
          ? `You are voting on themes: an idea in no theme counts on its own. Everyone has ${dotWord(budget)}, at most ${dotWord(maxPerIdea)} on one theme or idea.`
          : `Everyone has ${dotWord(budget)}, at most ${dotWord(maxPerIdea)} on one idea.`}{' '}
        {maxPerIdea === 1 && 'Press ✓ Vote again to take your dot off. '}
        Your votes are secret: nobody, not even the facilitator, can see them.
      </p>
      <p className="dots-left">
        <span aria-hidden="true">
          {'●'.repeat(Math.max(0, remaining))}
          {'○'.repeat(Math.max(0, used))}{' '}
        </span>
        You have {remaining} of {dotWord(budget)} left{saving ? ' (saving…)' : ''}.
      </p>
      {returned > 0 && <p className="hint">An idea you voted for was taken out of the vote, so your {dotWord(returned)} on it came back to you.</p>}
      <ul className="vote-list">
        {items.map((item) => {
          const mine = dots[item.itemId] ?? 0
          const words = item.name !== null ? `theme ${item.name}` : item.ideas[0] ? ideaWords(item.ideas[0], opened, item.itemId) : 'an idea'
          const thing = item.name !== null ? 'theme' : 'idea'
          return (
            <li key={item.itemId} className="vote-item">
              {item.name !== null ? (
                <div className="vote-theme">
                  <p className="theme-name">Theme: {item.name}</p>
                  <ul className="result-theme-ideas">
                    {item.ideas.map((idea) => (
                      <li key={idea.ideaId}>
                        <IdeaText idea={idea} />
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                item.ideas[0] && <IdeaText idea={item.ideas[0]} />
              )}
              {maxPerIdea === 1 ? (
                // The name starts with the visible word (2.5.3); aria-pressed and the tick say whether it is on.
                <button type="button" aria-pressed={mine > 0} onClick={() => change(item.itemId, mine > 0 ? -1 : 1)} aria-label={`Vote for: ${words}`}>
                  Vote
                </button>
              ) : (
                <div className="button-row">
                  <button type="button" onClick={() => change(item.itemId, -1)} aria-disabled={mine === 0 || undefined} aria-label={`Take a dot off: ${words}`}>
                    −
                  </button>
                  <span className="my-dots">
                    {dotWord(mine)} on this {thing}
                  </span>
                  <button type="button" onClick={() => change(item.itemId, 1)} aria-disabled={mine >= maxPerIdea || undefined} aria-label={`Add a dot to: ${words}`}>
                    +
                  </button>
                </div>
              )}
            </li>
          )
        })}
      </ul>
      <FieldError text={error} times={errorTimes} />
    </div>
  )
}
