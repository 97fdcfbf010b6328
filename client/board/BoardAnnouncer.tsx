import { useEffect } from 'react'
import { useA11y, useSelectedShapesAnnouncer, useValue } from 'tldraw'
import { announce } from '../announce/announcer.ts'

/**
 * Replaces tldraw's own announcer, which is assertive and only appears with its first message:
 * everything tldraw says (such as the card just selected) goes through our one polite region (L6).
 */
export function BoardAnnouncer() {
  const a11y = useA11y()
  useSelectedShapesAnnouncer()
  const message = useValue('board announcement', () => a11y.currentMsg.get(), [a11y])
  useEffect(() => {
    if (!message.msg) return
    // tldraw names custom shapes by an untranslated key ("tool.idea-card"): say it in words. It
    // also numbers a card among top-level shapes only, so a card inside a section is "0 of 3": drop that.
    announce(
      message.msg
        .replace(/\btool\.idea-card\b/g, 'idea card')
        .replace(/\btool\.([a-z-]+)\b/g, '$1')
        .replace(/\.,/g, '.')
        .replace(/\. 0 of \d+$/, '.'),
    )
  }, [message])
  return null
}
