import { useId, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import { announce } from '../announce/announcer.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { ideaWords, useOpenedNotes } from './openedNotes.ts'
import { IdeaText } from './IdeaText.tsx'
import { groupByTheme, putWith, renameTheme, takeOutOfTheme } from './themes.ts'
import { FieldError, StatusMessage, useFieldError, type Message } from '../ui/StatusMessage.tsx'
import { THEME_NAMES_BY_FACILITATOR } from '../../shared/themes.ts'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** An idea's first few words, quoted: tells one idea's controls from the next in a list of controls. */
export function firstWords(words: string, most = 6): string {
  const all = words.trim().split(/\s+/)
  const start = all.slice(0, most).join(' ')
  return `“${start.length > 60 ? `${start.slice(0, 60).trimEnd()}…` : all.length > most ? `${start}…` : start}”`
}

interface Props {
  workshopId: string
  sectionId: string
  ideas: PublicIdea[]
  themes: PublicTheme[]
  /** Set while themes can change (before the vote) for anyone in the workshop. */
  token: string | null
  /** The facilitator names themes; participants see why they cannot. */
  canName: boolean
}

/**
 * "Everyone's ideas" in the list view, themes first: each theme by name with its ideas, then
 * the ideas in no theme. Before the vote, every idea has "Put with…", so grouping needs no
 * canvas, no dragging and works on a phone.
 */
export function ThemedIdeas({ workshopId, sectionId, ideas, themes, token, canName }: Props) {
  const { grouped, loose } = groupByTheme(ideas, themes)
  // An idea put in or taken out of a theme moves to another list, so its controls are made
  // afresh: the message and the focus are kept here and given to the idea in its new place.
  // The answer and the shared state arrive in either order: focus waits for the idea to be in
  // another group than the one it left.
  const [moved, setMoved] = useState<{ ideaId: string; from: string | null; message: Message } | null>(null)
  const focusDue = useRef(false)
  const landed = (idea: PublicIdea, theme: PublicTheme | null) => (element: HTMLLIElement | null) => {
    if (!element || !focusDue.current || moved?.ideaId !== idea.ideaId || moved.from === (theme?.themeId ?? null)) return
    focusDue.current = false
    element.focus()
  }
  const item = (idea: PublicIdea, theme: PublicTheme | null) => (
    <li key={idea.ideaId} ref={landed(idea, theme)} className="idea" data-idea-id={idea.ideaId} tabIndex={-1}>
      <IdeaText idea={idea} />
      {idea.mergedFrom.length > 0 && <p className="idea-meta">Combines {plural(idea.mergedFrom.length + 1, 'idea', 'similar ideas')}</p>}
      {token && (
        <PutWithControl
          workshopId={workshopId}
          sectionId={sectionId}
          token={token}
          idea={idea}
          ideas={ideas}
          themes={grouped.map((g) => g.theme)}
          current={theme}
          moved={moved?.ideaId === idea.ideaId ? moved.message : null}
          onMoved={(message) => {
            focusDue.current = true
            setMoved({ ideaId: idea.ideaId, from: theme?.themeId ?? null, message })
          }}
        />
      )}
    </li>
  )
  return (
    <div className="themed-ideas">
      {grouped.map(({ theme, ideas: members }) => (
        <section key={theme.themeId} className="theme-group" aria-label={`Theme: ${theme.name}`} data-theme={theme.name}>
          <h4 className="theme-name">
            Theme: {theme.name} <span className="idea-meta">({plural(members.length, 'idea', 'ideas')})</span>
          </h4>
          {token && canName && <RenameTheme workshopId={workshopId} token={token} theme={theme} />}
          <ul className="idea-list">{members.map((idea) => item(idea, theme))}</ul>
        </section>
      ))}
      {loose.length > 0 && <ul className="idea-list">{loose.map((idea) => item(idea, null))}</ul>}
      {token && !canName && grouped.length > 0 && <p className="hint">{THEME_NAMES_BY_FACILITATOR}</p>}
    </div>
  )
}

function PutWithControl({
  workshopId,
  sectionId,
  token,
  idea,
  ideas,
  themes,
  current,
  moved,
  onMoved,
}: {
  workshopId: string
  sectionId: string
  token: string
  idea: PublicIdea
  ideas: PublicIdea[]
  themes: PublicTheme[]
  current: PublicTheme | null
  /** What this idea's last move said, kept while the idea changed lists. */
  moved: Message | null
  onMoved: (message: Message) => void
}) {
  const id = useId()
  const opened = useOpenedNotes()
  const [choice, setChoice] = useState('')
  const [failure, setMessage] = useState<Message | null>(null)
  const [unchosen, setUnchosen, unchosenTimes] = useFieldError()
  const select = useRef<HTMLSelectElement>(null)
  // Each control names its idea (folded content notes stay folded), after the words on screen.
  const words = ideaWords(idea, opened, idea.ideaId)
  const which = words === idea.text ? firstWords(words) : words
  // Every idea's choice lists every other idea: drawn for all of them, 300 ideas made 30,000
  // options (33,000 of a board page's 35,000 elements, paid in every style, layout and paint).
  // The options are drawn once someone reaches for the list: focus (keyboard, screen reader) or a
  // press, made synchronous so the list opens with them.
  const [reached, setReached] = useState(false)
  const reach = () => {
    if (!reached) flushSync(() => setReached(true))
  }
  const done = (text: string) => {
    setMessage(null)
    setUnchosen(null)
    announce(text)
    onMoved({ text, error: false })
  }
  const otherThemes = themes.filter((theme) => theme.themeId !== current?.themeId)
  const inAnyTheme = new Set(themes.flatMap((theme) => theme.ideaIds))
  const otherIdeas = ideas.filter((other) => other.ideaId !== idea.ideaId && !inAnyTheme.has(other.ideaId))
  if (otherThemes.length === 0 && otherIdeas.length === 0 && !current) return null

  const put = async () => {
    const [kind, value] = choice.split(':') as [string, string]
    if (!value) {
      setUnchosen('Choose an idea or a theme first.')
      select.current?.focus()
      return
    }
    setUnchosen(null)
    const result = await putWith(workshopId, token, sectionId, idea.ideaId, kind === 'theme' ? { themeId: value } : { withIdeaId: value })
    setChoice('')
    if (result.ok) done(`Put in the theme “${result.value.name}”.`)
    else setMessage({ text: result.message, error: true })
  }
  const takeOut = async () => {
    if (!current) return
    const result = await takeOutOfTheme(workshopId, token, current.themeId, idea.ideaId)
    if (result.ok) done(`Taken out of “${current.name}”.`)
    else setMessage({ text: result.message, error: true })
  }
  return (
    <div className="put-with">
      {(otherThemes.length > 0 || otherIdeas.length > 0) && (
        <>
          <label htmlFor={`${id}-with`}>
            Put with… <span className="visually-hidden">{which}</span>
          </label>
          <select
            id={`${id}-with`}
            ref={select}
            value={choice}
            aria-invalid={unchosen ? true : undefined}
            aria-describedby={unchosen ? `${id}-unchosen` : undefined}
            onChange={(event) => {
              setChoice(event.target.value)
              if (event.target.value) setUnchosen(null)
            }}
            onFocus={reach}
            onPointerDown={reach}
            onMouseDown={reach}
            onTouchStart={reach}
            onKeyDown={reach}
          >
            <option value="">Choose an idea or a theme</option>
            {reached && otherThemes.length > 0 && (
              <optgroup label="Themes">
                {otherThemes.map((theme) => (
                  <option key={theme.themeId} value={`theme:${theme.themeId}`}>
                    Theme: {theme.name}
                  </option>
                ))}
              </optgroup>
            )}
            {reached && otherIdeas.length > 0 && (
              <optgroup label="Ideas (makes a new theme)">
                {otherIdeas.map((other) => (
                  <option key={other.ideaId} value={`idea:${other.ideaId}`}>
                    {ideaWords(other, opened, other.ideaId).slice(0, 80)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          <button type="button" className="small" onClick={put}>
            Put together <span className="visually-hidden">{which}</span>
          </button>
          <FieldError text={unchosen} id={`${id}-unchosen`} times={unchosenTimes} />
        </>
      )}
      {current && (
        <button type="button" className="small" onClick={takeOut}>
          Take out of this theme <span className="visually-hidden">{which}</span>
        </button>
      )}
      <StatusMessage message={failure} />
      {/* Said once by `done`: shown here again when the idea lands in its new list, not said again. */}
      {!failure && moved && <p className="success">{moved.text}</p>}
    </div>
  )
}

function RenameTheme({ workshopId, token, theme }: { workshopId: string; token: string; theme: PublicTheme }) {
  const id = useId()
  const [name, setName] = useState(theme.name)
  const [message, setMessage] = useState<Message | null>(null)
  return (
    <form
      className="rename-theme"
      onSubmit={async (event) => {
        event.preventDefault()
        const result = await renameTheme(workshopId, token, theme.themeId, name)
        setMessage(result.ok ? { text: `Theme renamed “${result.value.name}”.`, error: false } : { text: result.message, error: true })
      }}
    >
      <label htmlFor={`${id}-name`}>Theme name</label>
      <input id={`${id}-name`} value={name} maxLength={80} onChange={(event) => setName(event.target.value)} />
      <button type="submit" className="small">
        Rename
      </button>
      <StatusMessage message={message} />
    </form>
  )
}
