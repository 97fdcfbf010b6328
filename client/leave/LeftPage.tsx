import { usePageTitle } from '../router.tsx'

/** Where "Leave" lands: calm, nothing live, and nothing of this person's left on the device. */
export function LeftPage({ workshopId }: { workshopId: string }) {
  usePageTitle('You have left')
  return (
    <main className="page narrow" id="main">
      <h1>You have left the workshop</h1>
      <p>Nobody was told that you left. Your ideas and votes stay, without your name.</p>
      <p>This device no longer keeps anything of yours from this workshop, so the next person to use it cannot see what you wrote.</p>
      <p>To come back, join again with the same link. You will join as someone new, and cannot change ideas you sent before.</p>
      <p>
        <a className="button" href={`/w/${workshopId}`}>
          Join the workshop again
        </a>
      </p>
    </main>
  )
}
