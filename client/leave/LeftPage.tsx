import { usePageTitle } from '../router.tsx'

/**
 * Where "Leave" lands: calm, nothing live, and nothing of this person's left on the device.
 * Stepping out for a while is "Take a break"; leaving is for good in this browser, because one
 * browser joins once (one budget) and the device no longer holds their key.
 */
export function LeftPage() {
  usePageTitle('You have left')
  return (
    <main className="page narrow" id="main">
      <h1>You have left the workshop</h1>
      <p>Nobody was told that you left. Your ideas and votes stay, without your name.</p>
      <p>This device no longer keeps anything of yours from this workshop. The next person to use it cannot see what you wrote or how you voted.</p>
      <p>Each browser joins a workshop once, so nobody can vote twice. To take part again, join on another device, or ask the facilitator for help.</p>
      <p>
        <a className="button" href="/">
          Go to the start page
        </a>
      </p>
    </main>
  )
}
