import type { ReactNode } from 'react'

/** A specific, gentle error with a way forward. Announced at once (role="alert"). */
export function ErrorPanel({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="error-panel" role="alert">
      <h2>{title}</h2>
      {children}
    </div>
  )
}
