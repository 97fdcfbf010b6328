import { useEffect, useRef } from 'react'
import { announce } from '../announce/announcer.ts'
import type { ConnectionState } from '../sync/useWorkshopSync.ts'

const TEXT: Record<ConnectionState, { label: string; detail: string }> = {
  online: { label: 'Connected', detail: '' },
  connecting: { label: 'Connecting…', detail: '' },
  reconnecting: { label: 'Reconnecting…', detail: 'Ideas you add and cards you move are kept and sent when we are back. Other changes need the connection.' },
  offline: { label: 'Offline', detail: 'Ideas you add and cards you move are kept and sent when you reconnect. Other changes need the connection.' },
  'not-saving': { label: 'Not saving', detail: 'Parity cannot save changes at the moment. Ideas you add and cards you move are kept on this device and sent when it can.' },
}

const ICON: Record<ConnectionState, string> = { online: '●', connecting: '◌', offline: '○', reconnecting: '◌', 'not-saving': '⚠' }

/** Nothing was lost while a first connection opens: only the other states are announced. */
const LOSS_ANNOUNCEMENT: Record<Exclude<ConnectionState, 'online' | 'connecting'>, string> = {
  offline: 'You are offline. Ideas you add and cards you move are kept and sent when you are back. Other changes need the connection.',
  reconnecting: 'The connection was lost. We are trying again. Ideas you add and cards you move are kept.',
  'not-saving': 'Parity cannot save changes at the moment. Ideas you add and cards you move are kept on this device and sent when it can.',
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
        {ICON[state]}
      </span>
      <span className="connection-label">{text.label}</span>
      {text.detail && <span className="connection-detail">{text.detail}</span>}
    </div>
  )
}

function useConnectionAnnouncements(state: ConnectionState): void {
  const announced = useRef<ConnectionState | null>(null)
  useEffect(() => {
    if (state === 'connecting') return
    if (state === 'online') {
      if (announced.current) announce('Connected again. Ideas and card moves made while offline are being sent now.', 'polite')
      announced.current = null
      return
    }
    const sayLost = () => {
      if (announced.current === state) return
      announced.current = state
      announce(LOSS_ANNOUNCEMENT[state], 'assertive')
    }
    if (state !== 'reconnecting') return sayLost()
    const timer = setTimeout(sayLost, RECONNECTING_GRACE_MS)
    return () => clearTimeout(timer)
  }, [state])
}
