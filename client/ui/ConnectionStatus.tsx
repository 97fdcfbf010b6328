import type { ConnectionState } from '../sync/useWorkshopSync.ts'

const TEXT: Record<ConnectionState, { label: string; detail: string }> = {
  online: { label: 'Connected', detail: '' },
  reconnecting: { label: 'Reconnecting…', detail: 'Your changes are kept and will be sent when we are back.' },
  offline: { label: 'Offline', detail: 'Your changes are kept and will be sent when you reconnect.' },
}

/** Connection state in words and an icon shape, not colour alone. Loss is announced assertively. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const text = TEXT[state]
  return (
    <div className={`connection connection-${state}`} role={state === 'online' ? 'status' : 'alert'} data-testid="connection-status">
      <span className="connection-icon" aria-hidden="true">
        {state === 'online' ? '●' : state === 'offline' ? '○' : '◌'}
      </span>
      <span className="connection-label">{text.label}</span>
      {text.detail && <span className="connection-detail">{text.detail}</span>}
    </div>
  )
}
