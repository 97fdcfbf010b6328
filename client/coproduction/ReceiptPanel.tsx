import { useId, useState } from 'react'
import { readKeys } from '../participate/myIdeas.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { deviceNotes } from './deviceNotes.ts'
import { encodeReceipt } from './receipt.ts'

/** At the end: a receipt code, shown once, to find out later what happened to my ideas from any device. */
export function ReceiptPanel({ workshopId, token }: { workshopId: string; token: string }) {
  const id = useId()
  const [shownBefore] = useState(() => deviceNotes.read(workshopId, 'receipt-shown') !== null)
  const [code, setCode] = useState<string | null>(null)
  const ideas = readKeys(workshopId)
  if (ideas.length === 0) return null
  const show = () => {
    deviceNotes.write(workshopId, 'receipt-shown', 'yes')
    setCode(encodeReceipt({ token, ideas }))
  }
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Find out later what happened to your ideas</h2>
      <p>
        This device remembers your ideas. <a href={`/w/${workshopId}/my-ideas`}>See what happened to them</a> at any time.
      </p>
      {code ? (
        <>
          <p>Write this down or print it now. We only show it once.</p>
          <p>
            <strong>Keep it private, like a password.</strong> Anyone who has it can see your ideas, and can act as you in this workshop while it runs.
          </p>
          <CopyField label="Your receipt code" value={code} />
          <p className="no-print">
            <button type="button" onClick={() => window.print()}>
              Print this page
            </button>
          </p>
        </>
      ) : shownBefore ? (
        <p className="hint">You have already seen your receipt code.</p>
      ) : (
        <p>
          <button type="button" onClick={show}>
            Show my receipt code (to use on another device)
          </button>
        </p>
      )}
    </section>
  )
}
