import { createContext, useContext, useLayoutEffect, useRef } from 'react'
import { react, useEditor, type Editor } from 'tldraw'
import type { PointerSink, ShownPointer } from '../sync/bindPresence.ts'

interface Drawn {
  element: HTMLElement
  label: HTMLElement
  shown: ShownPointer
}

const SVG = 'http://www.w3.org/2000/svg'

/**
 * Other people's pointers, drawn on a layer of their own in front of the canvas. tldraw would
 * draw them from presence records in its store, but every store change re-checks the canvas and
 * re-renders its pointers: thirty people's pointers at 10 Hz were a fifth of a slow laptop's
 * script. Here a moved pointer is one style change, shifted by the compositor.
 * Decorative, like tldraw's own: the layer is hidden from screen readers; each pointer is named
 * in text, so nobody is told apart by colour alone.
 */
export class PointerLayer implements PointerSink {
  private wanted = new Map<string, ShownPointer>()
  private readonly drawn = new Map<string, Drawn>()
  private root: HTMLElement | null = null
  private editor: Editor | null = null

  show(pointers: ReadonlyMap<string, ShownPointer>): void {
    this.wanted = new Map(pointers)
    this.draw(false)
  }

  /** Draws into `root` while the canvas is `editor`'s; returns the detach. */
  attach(root: HTMLElement, editor: Editor): () => void {
    this.root = root
    this.editor = editor
    // Pointers are in page coordinates: a pan or zoom moves every one of them.
    const stopCamera = react('where others are follows the camera', () => {
      editor.getCamera()
      editor.getViewportScreenBounds()
      this.draw(true)
    })
    return () => {
      stopCamera()
      for (const { element } of this.drawn.values()) element.remove()
      this.drawn.clear()
      this.root = null
      this.editor = null
    }
  }

  private draw(cameraMoved: boolean): void {
    const { root, editor } = this
    if (!root || !editor) return
    for (const [key, { element }] of this.drawn) {
      if (this.wanted.has(key)) continue
      element.remove()
      this.drawn.delete(key)
    }
    for (const [key, pointer] of this.wanted) {
      let drawn = this.drawn.get(key)
      if (!drawn) {
        drawn = create(pointer)
        root.append(drawn.element)
        this.drawn.set(key, drawn)
      } else if (!cameraMoved && samePlace(drawn.shown, pointer) && drawn.shown.name === pointer.name && drawn.shown.color === pointer.color) continue
      if (drawn.shown.name !== pointer.name) drawn.label.textContent = pointer.name
      if (drawn.shown.color !== pointer.color) drawn.element.style.setProperty('--pointer-colour', pointer.color)
      drawn.shown = pointer
      const { x, y } = editor.pageToViewport(pointer)
      drawn.element.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`
    }
  }
}

const samePlace = (a: ShownPointer, b: ShownPointer) => a.x === b.x && a.y === b.y

function create(pointer: ShownPointer): Drawn {
  const element = document.createElement('div')
  element.className = 'others-pointer'
  element.style.setProperty('--pointer-colour', pointer.color)
  const arrow = document.createElementNS(SVG, 'svg')
  arrow.setAttribute('viewBox', '0 0 16 22')
  arrow.setAttribute('width', '16')
  arrow.setAttribute('height', '22')
  const path = document.createElementNS(SVG, 'path')
  path.setAttribute('d', 'M1 1 L1 18 L5.5 13.5 L9 21 L12 19.6 L8.6 12.4 L15 12.4 Z')
  arrow.append(path)
  const label = document.createElement('span')
  label.className = 'others-pointer__name'
  label.textContent = pointer.name
  element.append(arrow, label)
  return { element, label, shown: pointer }
}

export const PointerLayerContext = createContext<PointerLayer | null>(null)

/** tldraw's `InFrontOfTheCanvas`: where the board's PointerLayer draws. */
export function OthersPointers() {
  const layer = useContext(PointerLayerContext)
  const editor = useEditor()
  const root = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => (layer && root.current ? layer.attach(root.current, editor) : undefined), [layer, editor])
  return <div ref={root} className="others-pointers" aria-hidden="true" />
}
