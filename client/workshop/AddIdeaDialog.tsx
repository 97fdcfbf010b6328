import { useEffect, useId, useRef, useState } from 'react'
import type { Section } from '../../shared/sections.ts'
import { phaseAllows } from '../../shared/phases.ts'
import { workshopKeyPrefix } from '../leave/deviceData.ts'
import { IdeaForm } from '../participate/IdeaForm.tsx'
import type { MyIdeas } from '../participate/myIdeas.ts'

/**
 * "Add an idea" from the board without a pointer (L5): a dialog with the idea form for the
 * section in view (or any other open one). Closing returns focus to the button that opened it.
 */
export function AddIdeaDialog({ workshopId, sections, sectionId, myIdeas, onClose }: { workshopId: string; sections: Section[]; sectionId: string; myIdeas: MyIdeas; onClose: () => void }) {
  const id = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const open = sections.filter((section) => phaseAllows(section.phase, 'addIdea'))
  const [chosen, setChosen] = useState(() => (open.some((section) => section.sectionId === sectionId) ? sectionId : (open[0]?.sectionId ?? '')))
  const section = open.find((s) => s.sectionId === chosen)

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    // Straight to the idea's words: showModal focuses the first control, the Section list,
    // where typed letters silently switched the section (December review).
    element?.querySelector('textarea')?.focus()
    return () => element?.close()
  }, [])

  return (
    <dialog ref={dialog} className="add-idea-dialog" aria-labelledby={`${id}-h`} onClose={onClose}>
      <h2 id={`${id}-h`}>Add an idea</h2>
      {open.length === 0 ? (
        <p>No section is taking ideas right now. The facilitator will say when it is time.</p>
      ) : (
        <>
          <label htmlFor={`${id}-section`}>Section</label>
          <select id={`${id}-section`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
            {open.map((s) => (
              <option key={s.sectionId} value={s.sectionId}>
                {s.title}
              </option>
            ))}
          </select>
          {section && (
            <>
              <p className="prompt">{section.prompt}</p>
              <IdeaForm
                key={section.sectionId}
                section={section}
                draftKey={`${workshopKeyPrefix(workshopId)}draft:${section.sectionId}:idea`}
                onAdd={async (text, contentNote, idempotencyKey) => {
                  const result = await myIdeas.add(section.sectionId, text, 'idea', { contentNote, idempotencyKey })
                  return result.ok ? { ok: true } : { ok: false, message: result.message, offline: result.status === 0 }
                }}
              />
            </>
          )}
        </>
      )}
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  )
}
