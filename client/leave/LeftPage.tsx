import { useState } from 'react'
import { usePageTitle } from '../router.tsx'
import { StatusMessage } from '../ui/StatusMessage.tsx'
import { forgetWorkshopOnThisDevice } from './deviceData.ts'

/** Where "Leave" lands: calm, nothing live, and a way to wipe this device if it is shared. */
export function LeftPage({ workshopId }: { workshopId: string }) {
  usePageTitle('You have left')
  const [forgotten, setForgotten] = useState(false)
  return (
    <main className="page narrow" id="main">
      <h1>You have left the workshop</h1>
      <p>Nobody was told that you left. Your ideas and votes stay, without your name.</p>
      <p>You can come back at any time with the same link.</p>
      <p>
        <a className="button" href={`/w/${workshopId}`}>
          Go back to the workshop
        </a>
      </p>
      <section className="card" aria-labelledby="forget-h">
        <h2 id="forget-h">Using a shared computer?</h2>
        <p>You can remove this workshop from this device. You will not be able to come back to it in this browser.</p>
        <p>Each browser joins a workshop once, so nobody can vote twice. Someone else can join on another device, or ask the facilitator for help.</p>
        <button
          type="button"
          aria-disabled={forgotten || undefined}
          onClick={() => {
            if (forgotten) return
            forgetWorkshopOnThisDevice(workshopId)
            setForgotten(true)
          }}
        >
          Remove this workshop from this device
        </button>
        <StatusMessage message={forgotten ? { text: 'Done. This device no longer keeps anything about this workshop.', error: false } : null} />
      </section>
    </main>
  )
}
