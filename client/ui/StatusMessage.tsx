import { useEffect } from 'react'
import { announce } from '../announce/announcer.ts'

export interface Message {
  text: string
  error: boolean
  /** Neither success nor failure: "kept, will send when you are back online". */
  info?: boolean
}

/**
 * A visible result of the person's own action, read out through the shared live regions
 * (errors assertively). The paragraph itself is not a live region: there is only one of each (L6).
 */
export function StatusMessage({ message, id }: { message: Message | null; id?: string }) {
  useEffect(() => {
    if (message) announce(message.text, message.error ? 'assertive' : 'polite')
  }, [message])
  if (!message) return null
  return (
    <p className={message.error ? 'field-error' : message.info ? 'info-message' : 'success'} id={id}>
      {message.text}
    </p>
  )
}

/** A field's error under it, announced when it appears or changes. */
export function FieldError({ text, id }: { text: string | null; id?: string }) {
  useEffect(() => {
    if (text) announce(text, 'assertive')
  }, [text])
  if (!text) return null
  return (
    <p className="field-error" id={id}>
      {text}
    </p>
  )
}
