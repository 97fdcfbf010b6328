import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { GROUP_LABEL, notKeptNote, QUESTION_LABEL, type CheckoutQuestion, type GroupSummary } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'
import { ErrorCode } from '../../shared/errors.ts'
import type { CreatedWorkshop } from '../../shared/intents.ts'
import { TAKING_PART_WAITS, type ProgrammeView } from '../../shared/programme.ts'
import { callApi } from '../api.ts'
import { saveBlob } from '../download.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { Loading } from '../ui/Loading.tsx'
import { FieldError, StatusMessage, useFieldError, type Message } from '../ui/StatusMessage.tsx'
import { CommitmentEditor } from './CommitmentEditor.tsx'
import { ProgrammeLifecycle } from './ProgrammeLifecycle.tsx'
import { RetentionNotice } from '../ui/RetentionNotice.tsx'
import { useRetention } from '../ui/useRetention.ts'
import { RecordCheck } from './RecordCheck.tsx'
import { programmeKeyKey } from './programmeKey.ts'


function forgetProgrammeKey(programmeId: string): void {
  try {
    localStorage.removeItem(programmeKeyKey(programmeId))
  } catch {
    // Storage blocked: nothing was kept.
  }
}

/** Reads the programme key from the link's fragment once, keeps it on this device, hides it. */
function useProgrammeKey(programmeId: string): string | null {
  const [key] = useState(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key')
    try {
      if (fromHash) localStorage.setItem(programmeKeyKey(programmeId), fromHash)
      return fromHash ?? localStorage.getItem(programmeKeyKey(programmeId))
    } catch {
      // Storage blocked: the key from the link still works for this visit.
      return fromHash
    }
  })
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname)
  }, [])
  return key
}

/** The programme page for leads: workshops, agreed texts and their history, commitments, trends, evidence. */
/** Check-out results wait for the end of the workshop's day (CheckoutSummary.waits). */
const SHOWN_DAY_AFTER = 'shown from the day after the workshop'

export function ProgrammePage({ programmeId }: { programmeId: string }) {
  usePageTitle('Programme')
  const key = useProgrammeKey(programmeId)
  const [view, setView] = useState<ProgrammeView | null>(null)
  const [error, setError] = useState<string | null>(key ? null : 'Open the programme link you were given. It carries the programme key.')
  const [deleted, setDeleted] = useState(false)
  const retention = useRetention(programmeId, key, 'programme')

  const refresh = useCallback(async () => {
    if (!key) return
    const result = await callApi<ProgrammeView>(`/api/programmes/${programmeId}`, { token: key })
    if (result.ok) setView(result.value)
    else setError(result.message)
  }, [programmeId, key])
  useEffect(() => {
    void refresh()
  }, [refresh])

  if (deleted)
    return (
      <main className="page narrow" id="main">
        <h1>The programme has been deleted</h1>
        <p>The programme and its workshops are gone, with everything in them, for everyone. Their links no longer work.</p>
        <p>
          <a href="/">Go to the start page</a>
        </p>
      </main>
    )
  if (error)
    return (
      <main className="page narrow" id="main">
        <h1>Programme</h1>
        <ErrorPanel title={error} />
      </main>
    )
  if (!view || !key) return <Loading label="Getting the programme…" />
  return (
    <main className="page narrow programme" id="main">
      <h1>{view.title}</h1>
      <p className="lead">A programme of workshops over time. Started on {formatDay(view.createdOn)}. Nobody is named on this page.</p>
      <RetentionNotice info={retention.info} what="programme" onlyWhenNear />
      <CopyField label="Programme link (keep it private: it lets people change the programme)" value={`${window.location.origin}/p/${programmeId}#key=${key}`} secret />

      <Workshops view={view} programmeKey={key} onChange={refresh} />
      <AgreedTexts view={view} />
      <CommitmentEditor view={view} programmeKey={key} onChange={refresh} />
      <Trend view={view} />
      <Evidence programmeId={programmeId} programmeKey={key} />
      <RecordCheck programmeKey={key} />
      <ProgrammeLifecycle
        view={view}
        programmeKey={key}
        retention={retention}
        onDeleted={() => {
          forgetProgrammeKey(programmeId)
          setDeleted(true)
        }}
      />
    </main>
  )
}

function Workshops({ view, programmeKey, onChange }: { view: ProgrammeView; programmeKey: string; onChange: () => Promise<void> }) {
  const [title, setTitle] = useState('')
  const [carry, setCarry] = useState(true)
  const [created, setCreated] = useState<CreatedWorkshop | null>(null)
  const [message, setMessage] = useState<Message | null>(null)
  // A problem with the name is told at the field, and the focus goes there (as on the start page).
  const [titleError, setTitleError, titleErrorTimes] = useFieldError()
  const titleField = useRef<HTMLInputElement>(null)
  const wrongTitle = (text: string) => {
    setMessage(null)
    setTitleError(text)
    titleField.current?.focus()
  }
  const create = async (event: FormEvent) => {
    event.preventDefault()
    if (!title.trim()) return wrongTitle('Give the workshop a name.')
    setTitleError(null)
    const result = await callApi<CreatedWorkshop>('/api/workshops', { body: { title, programmeId: view.programmeId, carryForward: carry }, token: programmeKey })
    if (!result.ok) return result.code === ErrorCode.validation ? wrongTitle(result.message) : setMessage({ text: result.message, error: true })
    session.setFacilitatorKey(result.value.workshopId, result.value.facilitatorKey)
    setCreated(result.value)
    setTitle('')
    setMessage({ text: 'Workshop made.', error: false })
    await onChange()
  }
  return (
    <section className="card" aria-labelledby="workshops-h">
      <h2 id="workshops-h">Workshops</h2>
      {view.workshops.length === 0 ? (
        <p className="empty">No workshops yet.</p>
      ) : (
        <ol>
          {view.workshops.map((w) => (
            <li key={w.workshopId}>
              {w.title} — {formatDay(w.day)}
              {session.facilitatorKey(w.workshopId) && (
                <>
                  {' '}
                  (<a href={`/w/${w.workshopId}/facilitate`}>run it</a>)
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={create}>
        <label htmlFor="new-workshop-title">Name of the next workshop</label>
        <input
          id="new-workshop-title"
          ref={titleField}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? 'new-workshop-title-error' : undefined}
        />
        <FieldError text={titleError} id="new-workshop-title-error" times={titleErrorTimes} />
        <label className="checkbox">
          <input type="checkbox" checked={carry} onChange={(event) => setCarry(event.target.checked)} /> Start from what we agreed so far (vision, values and ground
          rules)
        </label>
        <p>
          <button type="submit">Make the workshop</button>
        </p>
        <StatusMessage message={message} />
      </form>
      {created && <CopyField label="Facilitator link for the new workshop" value={created.facilitatorUrl} secret />}
    </section>
  )
}

function AgreedTexts({ view }: { view: ProgrammeView }) {
  return (
    <section className="card" aria-labelledby="texts-h">
      <h2 id="texts-h">What we agreed, and how it changed</h2>
      {view.agreedTexts.map((text) => (
        <div key={text.kind}>
          <h3>{text.title}</h3>
          {!text.current ? (
            <p className="empty">Not agreed yet.</p>
          ) : text.current.text ? (
            <blockquote className="draft">{text.current.text}</blockquote>
          ) : (
            <ol className="draft draft-list">
              {text.current.items?.map((item, index) => (
                <li key={index}>{item}</li>
              ))}
            </ol>
          )}
          {text.history.length > 0 && (
            <ul>
              {text.history.map((h, index) => (
                <li key={index}>
                  {formatDay(h.day)}, {h.workshopTitle}: {index === 0 ? 'first agreed' : h.changed ? 'the words changed' : 'agreed again, the same'}.
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  )
}

const QUESTIONS: CheckoutQuestion[] = ['rung', 'heard', 'safe', 'equal']
const SCALE_MAX: Record<CheckoutQuestion, number> = { rung: 7, heard: 5, safe: 5, equal: 5 }

/** A plain bar chart: a labelled bar per workshop, with the number written out (never colour alone). */
function Bar({ value, max }: { value: number; max: number }) {
  return (
    <span className="trend-bar">
      <span className="trend-fill" style={{ width: `${(value / max) * 100}%` }} aria-hidden="true" />
      <span className="trend-value">
        {value} of {max}
      </span>
    </span>
  )
}

function groupLine(group: GroupSummary, question: CheckoutQuestion) {
  return group.shown ? <Bar value={group.answers[question].mean} max={SCALE_MAX[question]} /> : <span>fewer than 3</span>
}

function Trend({ view }: { view: ProgrammeView }) {
  return (
    <section className="card" aria-labelledby="trend-h">
      <h2 id="trend-h">Check-outs, workshop by workshop</h2>
      <p className="hint">Groups with fewer than 3 answers are not shown, so nobody can be picked out.</p>
      {QUESTIONS.map((question) => (
        <div key={question}>
          <h3>{QUESTION_LABEL[question]}</h3>
          <ul className="trend">
            {view.trend.map((w) => (
              <li key={w.workshopId}>
                <strong>{w.title}</strong>:{' '}
                {w.checkout.waits ? (
                  SHOWN_DAY_AFTER
                ) : w.checkout.overall ? (
                  <Bar value={w.checkout.overall.answers[question].mean} max={SCALE_MAX[question]} />
                ) : w.checkout.groups.length === 0 ? (
                  w.checkout.notKept > 0 ? notKeptNote(w.checkout.notKept) : 'no answers yet'
                ) : (
                  <ul>
                    {w.checkout.groups.map((g) => (
                      <li key={g.group}>
                        {g.label}: {groupLine(g, question)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <h3>Staff and people with lived experience, side by side</h3>
      <ul>
        {view.trend.map((w) => (
          <li key={w.workshopId}>
            <strong>{w.title}</strong>:{' '}
            {w.checkout.waits ? (
              SHOWN_DAY_AFTER
            ) : w.checkout.perceptionGap ? (
              <ul>
                {w.checkout.perceptionGap.map((row) => (
                  <li key={row.question}>
                    {QUESTION_LABEL[row.question]}: {GROUP_LABEL['lived-experience']} {row.livedExperience}, {GROUP_LABEL.staff} {row.staff}
                  </li>
                ))}
              </ul>
            ) : (
              'not shown: each group needs 3 or more answers'
            )}
          </li>
        ))}
      </ul>
      <h3>Who took part</h3>
      <ul>
        {view.trend.map((w) => (
          <li key={w.workshopId}>
            <strong>{w.title}</strong>:{' '}
            {w.takingPartWaits
              ? TAKING_PART_WAITS
              : w.takingPart.length === 0
                ? 'nobody joined'
                : w.takingPart.map((g) => `${g.label} ${g.count.shown ? g.count.count : g.count.note}`).join('; ')}
          </li>
        ))}
      </ul>
    </section>
  )
}

function Evidence({ programmeId, programmeKey }: { programmeId: string; programmeKey: string }) {
  const [message, setMessage] = useState<Message | null>(null)
  const download = async (format: 'pdf' | 'docx' | 'json') => {
    setMessage({ text: 'Making your file…', error: false })
    try {
      const response = await fetch(`/api/programmes/${programmeId}/evidence?format=${format}`, { headers: { authorization: `Bearer ${programmeKey}` } })
      if (!response.ok) throw new Error(String(response.status))
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `evidence.${format}`
      saveBlob(await response.blob(), name)
      setMessage({ text: `Downloaded ${name}.`, error: false })
    } catch {
      setMessage({ text: 'The file could not be made. Check your connection and try again.', error: true })
    }
  }
  return (
    <section className="card" aria-labelledby="evidence-h">
      <h2 id="evidence-h">Evidence pack</h2>
      <p>For boards and funders: what was agreed, who took part, how it felt, and what was done. It names nobody.</p>
      <div className="button-row">
        <button type="button" onClick={() => download('pdf')}>
          PDF (to print or send)
        </button>
        <button type="button" onClick={() => download('docx')}>
          Word (to edit)
        </button>
        <button type="button" onClick={() => download('json')}>
          Data (JSON)
        </button>
      </div>
      <StatusMessage message={message} />
    </section>
  )
}
