import { useId, useState, type FormEvent } from 'react'
import type { Section } from '../../shared/sections.ts'
import { CUSTOM_SECTION_TEMPLATES } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { Button } from '../ui/Button.tsx'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

/** Add a section from a template, and reorder or remove sections (facilitator). */
export function AddSectionForm({ workshopId, facilitatorKey, sections }: { workshopId: string; facilitatorKey: string; sections: Section[] }) {
  const id = useId()
  const [template, setTemplate] = useState('barriers')
  const [message, setMessage] = useState<Message | null>(null)
  const base = `/api/workshops/${workshopId}/sections`

  const report = (result: { ok: boolean; message?: string }, done: string) =>
    setMessage(result.ok ? { text: done, error: false } : { text: result.message ?? 'That did not work.', error: true })

  const add = async (event: FormEvent) => {
    event.preventDefault()
    report(await callApi(base, { body: { template }, token: facilitatorKey }), 'Section added.')
  }
  const move = async (index: number, by: number) => {
    const ids = sections.map((s) => s.sectionId)
    const [moved] = ids.splice(index, 1)
    ids.splice(index + by, 0, moved!)
    report(await callApi(`${base}/order`, { method: 'PUT', body: { sectionIds: ids }, token: facilitatorKey }), 'Order saved.')
  }
  const remove = async (section: Section) => {
    if (!window.confirm(`Remove “${section.title}” and all its ideas? This cannot be undone.`)) return
    report(await callApi(`${base}/${section.sectionId}`, { method: 'DELETE', token: facilitatorKey }), `Removed “${section.title}”.`)
  }

  return (
    <section className="card facilitator-controls" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sections (facilitator)</h2>
      <ol className="section-order">
        {sections.map((section, index) => (
          <li key={section.sectionId}>
            <span>{section.title}</span>
            <span className="button-row">
              {/* Unavailable at the ends, not disabled: the first row's "up" may be the button just pressed. */}
              <Button
                unavailable={index === 0}
                onUnavailable={() => setMessage({ text: `“${section.title}” is already first.`, error: false, info: true })}
                onClick={() => move(index, -1)}
                aria-label={`Move ${section.title} up`}
              >
                ↑
              </Button>
              <Button
                unavailable={index === sections.length - 1}
                onUnavailable={() => setMessage({ text: `“${section.title}” is already last.`, error: false, info: true })}
                onClick={() => move(index, 1)}
                aria-label={`Move ${section.title} down`}
              >
                ↓
              </Button>
              <button type="button" onClick={() => remove(section)} aria-label={`Remove ${section.title}`}>
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      <form onSubmit={add}>
        <label htmlFor={`${id}-template`}>Add a section</label>
        <select id={`${id}-template`} value={template} onChange={(event) => setTemplate(event.target.value)}>
          {Object.entries(CUSTOM_SECTION_TEMPLATES).map(([key, value]) => (
            <option key={key} value={key}>
              {value.title}
            </option>
          ))}
        </select>
        <button type="submit">Add section</button>
      </form>
      <StatusMessage message={message} />
    </section>
  )
}
