import { useEffect, useRef } from 'react'
import type { Section } from '../../shared/sections.ts'
import { setPreference, usePreferences } from '../ui/preferences.ts'

/** Takes this screen to a section in the list: scrolls there and puts focus on its heading. */
export function goToSection(sectionId: string): void {
  const heading = document.querySelector<HTMLElement>(`[data-section="${CSS.escape(sectionId)}"] h2`)
  if (!heading) return
  heading.tabIndex = -1
  heading.focus()
}

/**
 * Follow-the-facilitator (W10): off unless chosen, and one tap to stop. Without it, people only
 * see where the facilitator is, with a link to go there themselves.
 */
export function FollowBanner({ section, onGo }: { section: Section | null; onGo: (sectionId: string) => void }) {
  const { followFacilitator } = usePreferences()
  const followed = useRef<string | null>(null)

  useEffect(() => {
    if (!followFacilitator || !section || followed.current === section.sectionId) return
    followed.current = section.sectionId
    onGo(section.sectionId)
  }, [followFacilitator, section, onGo])

  if (!section) return null
  return (
    <div className="follow-banner" data-testid="follow-banner">
      <p>
        The facilitator is showing <strong>{section.title}</strong>.
      </p>
      <div className="button-row">
        {!followFacilitator && (
          <button type="button" onClick={() => onGo(section.sectionId)}>
            Go there
          </button>
        )}
        <button
          type="button"
          aria-pressed={followFacilitator}
          onClick={() => {
            followed.current = null
            setPreference('followFacilitator', !followFacilitator)
          }}
        >
          Follow the facilitator
        </button>
      </div>
    </div>
  )
}
