import { useEffect } from 'react'
import { useA11y, useEditor, useSelectedShapesAnnouncer, useValue } from 'tldraw'
import { isSectionFrameId } from '../../shared/boardRecords.ts'
import { announce } from '../announce/announcer.ts'

/**
 * Replaces tldraw's own announcer, which is assertive and only appears with its first message:
 * everything tldraw says (such as the card just selected) goes through our one polite region (L6).
 */
export function BoardAnnouncer() {
  const editor = useEditor()
  const a11y = useA11y()
  useSelectedShapesAnnouncer()
  const message = useValue('board announcement', () => a11y.currentMsg.get(), [a11y])
  useEffect(() => {
    if (!message.msg) return
    // tldraw names custom shapes by an untranslated key ("tool.idea-card"): say it in words. It
    // also numbers a card among top-level shapes only, so a card inside a section is "0 of 3": drop that.
    let words = message.msg
      .replace(/\btool\.idea-card\b/g, 'idea card')
      .replace(/\btool\.([a-z-]+)\b/g, '$1')
      .replace(/\.,/g, '.')
      .replace(/\. 0 of \d+$/, '.')
    // A workshop section is drawn as a tldraw frame, which it calls "Frame" ("Our values, Frame. 1 of 3"):
    // say "section". Frames people draw themselves keep tldraw's word.
    const selected = editor.getOnlySelectedShape()
    if (selected && isSectionFrameId(selected.id)) words = words.replace(/, Frame\./, ', section.')
    announce(words)
  }, [message, editor])
  return null
}
