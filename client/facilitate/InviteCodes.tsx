import QRCode from 'qrcode'
import { useEffect, useId, useState, type FormEvent } from 'react'
import { callApi } from '../api.ts'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'

interface Card {
  code: string
  url: string
  svg: string
}

/**
 * Single-use invite codes and a printable sheet of cards, one QR code each. Codes are shown
 * only now: the server keeps their hashes, so print or save the sheet before leaving.
 */
export function InviteCodes({ workshopId, facilitatorKey, issued, used, onChange }: { workshopId: string; facilitatorKey: string; issued: number; used: number; onChange: () => void }) {
  const id = useId()
  const [count, setCount] = useState(20)
  const [cards, setCards] = useState<Card[]>([])
  const [error, setError, errorTimes] = useFieldError()

  const make = async (event: FormEvent) => {
    event.preventDefault()
    const result = await callApi<{ codes: string[] }>(`/api/workshops/${workshopId}/invite-codes`, { body: { count }, token: facilitatorKey })
    if (!result.ok) return setError(result.message)
    setError(null)
    const made = await Promise.all(
      result.value.codes.map(async (code) => {
        const url = `${window.location.origin}/w/${workshopId}/join?invite=${code}`
        return { code, url, svg: await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) }
      }),
    )
    setCards(made)
    onChange()
  }

  useEffect(() => {
    if (cards.length > 0) document.getElementById(`${id}-sheet`)?.focus()
  }, [cards, id])

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Invite codes</h2>
      <p>
        {issued} made, {used} used. Each code lets one person join, once. You will never see who used which code.
      </p>
      <form onSubmit={make} className="no-print">
        <label htmlFor={`${id}-count`}>How many codes?</label>
        <input id={`${id}-count`} type="number" min={1} max={500} value={count} onChange={(event) => setCount(Number(event.target.value))} />
        <button type="submit">Make codes</button>
      </form>
      <FieldError text={error} times={errorTimes} />
      {cards.length > 0 && (
        <div className="invite-sheet" id={`${id}-sheet`} tabIndex={-1} aria-label="Invite cards to print">
          <p className="no-print">
            These codes are shown only now.{' '}
            <button type="button" onClick={() => window.print()}>
              Print the cards
            </button>
          </p>
          <ul className="invite-cards">
            {cards.map((card) => (
              <li key={card.code} className="invite-card">
                <span className="invite-qr" aria-hidden="true" dangerouslySetInnerHTML={{ __html: card.svg }} />
                <span>
                  Scan, or go to the join page and type this code:
                  <br />
                  <strong className="code-sample">{card.code}</strong>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
