import { useId, useState } from 'react'
import { announce } from '../announce/announcer.ts'

/** A read-only value with a Copy button that says when it worked. */
export function CopyField({ label, value, secret = false }: { label: string; value: string; secret?: boolean }) {
  const id = useId()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
      announce(`${label} copied`)
      setTimeout(() => setCopied(false), 3000)
    } catch {
      // Clipboard blocked (http, permissions): select the text so people can copy it themselves.
      document.getElementById(id)?.focus()
      ;(document.getElementById(id) as HTMLInputElement | null)?.select()
    }
  }
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} type={secret ? 'password' : 'text'} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  )
}
