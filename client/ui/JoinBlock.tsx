import { useId } from 'react'
import { CopyField } from './CopyField.tsx'
import { JoinQr } from './JoinQr.tsx'
import { formatJoinCode, joinUrlFor, shortAddress, spokenJoinCode } from './joinLink.ts'

/**
 * How people join, in one place: the QR code, the code, the short address and the link to copy.
 * The facilitator's console shows it on every facilitator screen, so each screen has one QR code
 * (the projector has its own, larger one).
 */
export function JoinBlock({ workshopId, joinCode, qrSize = 120 }: { workshopId: string; joinCode: string | null; qrSize?: number }) {
  const id = useId()
  const url = joinUrlFor(workshopId)
  return (
    <section className="join-block" aria-labelledby={`${id}-h`} data-testid="join-block">
      <h3 id={`${id}-h`}>Invite people</h3>
      <p className="hint">Share the link, show the code on screen, or let people scan the QR code. Nobody needs an account.</p>
      <div className="join-block-ways">
        <JoinQr url={url} size={qrSize} />
        <div>
          <p>
            Go to <strong>{shortAddress()}</strong> and type the code:
          </p>
          {joinCode ? (
            <p className="join-code" aria-label={`Join code: ${spokenJoinCode(joinCode)}`}>
              {formatJoinCode(joinCode)}
            </p>
          ) : (
            // Not `.join-code` until there is one: nothing reads a placeholder as the code.
            <p className="join-code-waiting">…</p>
          )}
        </div>
      </div>
      <CopyField label="Join link" value={url} />
    </section>
  )
}
