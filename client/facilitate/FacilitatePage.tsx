import { useEffect, useState } from 'react'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { CopyField } from '../ui/CopyField.tsx'
import { useTimer } from '../wellbeing/useTimer.ts'
import { FacilitatorConsole } from './console/FacilitatorConsole.tsx'
import { CoproductionControls } from './CoproductionControls.tsx'
import { ExportLinks } from './ExportLinks.tsx'
import { InviteCodes } from './InviteCodes.tsx'
import { useFacilitatorView } from './useFacilitatorView.ts'
import { WellbeingSettingsForm } from './WellbeingSettingsForm.tsx'

/** Reads the facilitator key from the link's fragment once, keeps it on this device, hides it. */
function useFacilitatorKey(workshopId: string): string | null {
  const [key] = useState(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key')
    if (fromHash) session.setFacilitatorKey(workshopId, fromHash)
    return fromHash ?? session.facilitatorKey(workshopId)
  })
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname)
  }, [])
  return key
}

export function FacilitatePage({ workshopId }: { workshopId: string }) {
  usePageTitle('Facilitator')
  const key = useFacilitatorKey(workshopId)
  const { view, refresh } = useFacilitatorView(workshopId, key)
  const joinCode = view?.joinCode ?? null
  const joinUrl = `${window.location.origin}/w/${workshopId}/join`
  // The live state doc: the headcount and the room change while this page is open.
  const sync = useWorkshopSync(workshopId, key)
  const live = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  const timer = useTimer(live?.wellbeing.timer ?? null, live?.sections ?? [], 0, true)

  if (!key)
    return (
      <main className="page narrow" id="main">
        <h1>Facilitator</h1>
        <ErrorPanel title="This device does not have the facilitator key">
          <p>Open the facilitator link you were given when the workshop was created, on this device.</p>
        </ErrorPanel>
      </main>
    )

  return (
    <main className="page narrow" id="main">
      <h1>Your workshop is ready</h1>
      {live && <FacilitatorConsole workshopId={workshopId} facilitatorKey={key} live={live} timer={timer} on="facilitate" />}
      <section className="card" aria-labelledby="share-h">
        <h2 id="share-h">Invite people</h2>
        <p>Share the link, or show the code on screen. Nobody needs an account.</p>
        {joinCode && (
          <p className="join-code" aria-label={`Join code: ${joinCode.split('').join(' ')}`}>
            {joinCode.slice(0, 3)}-{joinCode.slice(3)}
          </p>
        )}
        <CopyField label="Join link" value={joinUrl} />
      </section>
      {view?.joinMode === 'invite' && (
        <InviteCodes workshopId={workshopId} facilitatorKey={key} issued={view.inviteCodesIssued} used={view.inviteCodesUsed} onChange={refresh} />
      )}
      <section className="card" aria-labelledby="key-h">
        <h2 id="key-h">Your facilitator link</h2>
        <p>Keep this private: it lets you run the workshop. It does not give you an extra vote.</p>
        <CopyField label="Facilitator link" value={`${window.location.origin}/w/${workshopId}/facilitate#key=${key}`} secret />
      </section>
      <WellbeingSettingsForm workshopId={workshopId} facilitatorKey={key} />
      <p className="button-row">
        <a className="button primary" href={`/w/${workshopId}`}>
          Open the board
        </a>
        <a className="button" href={`/w/${workshopId}/present`}>
          Open the presenter view
        </a>
      </p>
      <ExportLinks workshopId={workshopId} facilitatorKey={key} />
      <CoproductionControls workshopId={workshopId} facilitatorKey={key} />
    </main>
  )
}
