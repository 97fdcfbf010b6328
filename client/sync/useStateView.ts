import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { readState, type StateView } from '../../shared/stateDoc.ts'

/** A typed, live view of the server-written `state` doc. */
export function useStateView(doc: Y.Doc | null): StateView | null {
  const [view, setView] = useState<StateView | null>(() => (doc ? readState(doc) : null))
  useEffect(() => {
    if (!doc) return
    const update = () => setView(readState(doc))
    update()
    doc.on('update', update)
    return () => doc.off('update', update)
  }, [doc])
  return view
}
