import { ANYTIME_SUPPORT } from '../../shared/wellbeing.ts'
import { SupportLine } from './SupportLine.tsx'
import { useWelcome } from './useWelcome.ts'

/** "Get support" (L21): the facilitator's contacts for this workshop, then help anyone can use. */
export function SupportPanel({ workshopId, openedAt }: { workshopId: string | null; openedAt: number }) {
  const load = useWelcome(workshopId, openedAt)
  const contacts = load.status === 'ready' ? load.welcome.supportContacts : []
  return (
    <>
      <p>It is fine to step out, take a break, or stop at any time. You do not have to explain.</p>
      {workshopId && load.status === 'loading' && <p>Getting the contacts for this workshop…</p>}
      {contacts.length > 0 && (
        <>
          <h3>People who can help today</h3>
          <ul className="support-list">
            {contacts.map((line, index) => (
              <li key={index}>
                <SupportLine line={line} />
              </li>
            ))}
          </ul>
        </>
      )}
      {workshopId && load.status === 'ready' && contacts.length === 0 && <p>You can always talk to the facilitator.</p>}
      <h3>Help at any time</h3>
      <ul className="support-list">
        {ANYTIME_SUPPORT.map((line) => (
          <li key={line}>
            <SupportLine line={line} />
          </li>
        ))}
      </ul>
    </>
  )
}
