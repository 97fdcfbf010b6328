import { forwardRef, type ButtonHTMLAttributes } from 'react'

/**
 * A button that may be unavailable while someone is on it (nothing ticked yet, a request on its
 * way, the first row cannot move up). `disabled` would throw keyboard focus to the top of the page
 * the moment it applied; this stays focusable and says it is unavailable (aria-disabled), and a
 * press does nothing but `onUnavailable` (which can say why).
 */
export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { unavailable?: boolean; onUnavailable?: () => void }>(
  function Button({ unavailable = false, onUnavailable, onClick, type = 'button', ...rest }, ref) {
    return (
      <button
        {...rest}
        ref={ref}
        type={type}
        aria-disabled={unavailable || undefined}
        onClick={(event) => {
          if (unavailable) {
            event.preventDefault()
            onUnavailable?.()
            return
          }
          onClick?.(event)
        }}
      />
    )
  },
)
