import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { leaveNow } from '../leave/deviceData.ts'
import { session } from '../session.ts'
import { GroundRulesPanel } from './GroundRulesPanel.tsx'
import { SupportPanel } from './SupportPanel.tsx'

type Panel = 'support' | 'rules'

/**
 * The same bar at the top of every screen (L21, W8, W11): "Get support" always first, then the
 * ground rules and "Leave" wherever there is a workshop. Panels open below it, in the page flow,
 * so nothing covers what people are doing.
 */
export function SupportBar({ workshopId, canLeave }: { workshopId: string | null; canLeave: boolean }) {
  const id = useId()
  const [open, setOpen] = useState<{ panel: Panel; at: number } | null>(null)
  const buttons = useRef<Record<Panel, HTMLButtonElement | null>>({ support: null, rules: null })
  const token = workshopId ? (session.participantToken(workshopId) ?? session.facilitatorKey(workshopId)) : null

  const toggle = (panel: Panel) => setOpen((current) => (current?.panel === panel ? null : { panel, at: Date.now() }))
  const close = () => {
    const panel = open?.panel
    setOpen(null)
    if (panel) buttons.current[panel]?.focus()
  }

  return (
    <div className="support-area">
      <nav className="support-bar" aria-label="Support and safety">
        <button
          type="button"
          ref={(element) => {
            buttons.current.support = element
          }}
          aria-expanded={open?.panel === 'support'}
          aria-controls={`${id}-panel`}
          onClick={() => toggle('support')}
        >
          Get support
        </button>
        {workshopId && (
          <button
            type="button"
            ref={(element) => {
              buttons.current.rules = element
            }}
            aria-expanded={open?.panel === 'rules'}
            aria-controls={`${id}-panel`}
            onClick={() => toggle('rules')}
          >
            Ground rules
          </button>
        )}
        {/* Only for someone who is in: "You have left… your ideas and votes stay" means nothing before joining. */}
        {workshopId && canLeave && token !== null && (
          <button type="button" className="leave" onClick={() => leaveNow(workshopId)}>
            Leave
          </button>
        )}
      </nav>
      <div id={`${id}-panel`}>
        {open?.panel === 'support' && (
          <BarPanel title="Get support" onClose={close}>
            <SupportPanel workshopId={workshopId} openedAt={open.at} />
          </BarPanel>
        )}
        {open?.panel === 'rules' && workshopId && (
          <BarPanel title="Our ground rules" onClose={close}>
            <GroundRulesPanel workshopId={workshopId} token={token} openedAt={open.at} />
          </BarPanel>
        )}
      </div>
    </div>
  )
}

/** A panel under the bar: focus goes to its heading so it is read at once; Escape closes it. */
function BarPanel({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const id = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <section
      className="bar-panel"
      aria-labelledby={`${id}-h`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose()
      }}
    >
      <h2 id={`${id}-h`} tabIndex={-1} ref={heading}>
        {title}
      </h2>
      {children}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  )
}
