import { useEffect, type ReactNode } from 'react'
import { announce } from '../announce/announcer.ts'

/** A specific, gentle error with a way forward, announced through the assertive region. */
export function ErrorPanel({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => announce(title, 'assertive'), [title])
  return (
    <div className="error-panel">
      <h2>{title}</h2>
      {children}
    </div>
  )
}
