import { useCallback, useEffect, useState } from 'react'
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

/**
 * A field error's state: like `useState<string | null>`, but setting the same words again is a new
 * event. A second "You have used all your dots" (or a second empty "Add my idea") used to be
 * silent: the text had not changed, so nothing re-rendered and nothing was said.
 */
export function useFieldError(initial: string | null = null): [string | null, (text: string | null) => void, number] {
  const [state, setState] = useState({ text: initial, times: 0 })
  const set = useCallback((text: string | null) => setState((previous) => ({ text, times: previous.times + 1 })), [])
  return [state.text, set, state.times]
}

/** A field's error under it, announced each time it is set (`times` from useFieldError). */
export function FieldError({ text, id, times = 0 }: { text: string | null; id?: string; times?: number }) {
  useEffect(() => {
    if (text) announce(text, 'assertive')
  }, [text, times])
  if (!text) return null
  return (
    <p className="field-error" id={id}>
      {text}
    </p>
  )
}
