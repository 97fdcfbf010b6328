import { useEffect, useRef } from 'react'
import { announce } from '../announce/announcer.ts'
import type { ConnectionState } from '../sync/useWorkshopSync.ts'

const TEXT: Record<ConnectionState, { label: string; detail: string }> = {
  online: { label: 'Connected', detail: '' },
  reconnecting: { label: 'Reconnecting…', detail: 'Your changes are kept and will be sent when we are back.' },
  offline: { label: 'Offline', detail: 'Your changes are kept and will be sent when you reconnect.' },
}

/** A server restart or a phone moving between masts drops the line briefly: only longer losses are announced. */
const RECONNECTING_GRACE_MS = 3000

/**
 * Connection state in words and an icon shape, not colour alone. Loss is announced assertively
 * and coming back politely (L8); inputs are never disabled, so people keep working offline.
 */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const text = TEXT[state]
  useConnectionAnnouncements(state)
  return (
    <div className={`connection connection-${state}`} data-testid="connection-status">
      <span className="connection-icon" aria-hidden="true">
        {state === 'online' ? '●' : state === 'offline' ? '○' : '◌'}
      </span>
      <span className="connection-label">{text.label}</span>
      {text.detail && <span className="connection-detail">{text.detail}</span>}
    </div>
  )
}

function useConnectionAnnouncements(state: ConnectionState): void {
  const lossAnnounced = useRef(false)
  useEffect(() => {
    if (state === 'online') {
      if (lossAnnounced.current) announce('Connected again. Everything you did while offline is being sent now.', 'polite')
      lossAnnounced.current = false
      return
    }
    const sayLost = () => {
      if (lossAnnounced.current) return
      lossAnnounced.current = true
      announce(
        state === 'offline'
          ? 'You are offline. You can keep working: your changes are kept and sent when you are back.'
          : 'The connection was lost. We are trying again. Your changes are kept.',
        'assertive',
      )
    }
    if (state === 'offline') return sayLost()
    const timer = setTimeout(sayLost, RECONNECTING_GRACE_MS)
    return () => clearTimeout(timer)
  }, [state])
}
