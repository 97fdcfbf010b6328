import { useEffect, useState } from 'react'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { CopyField } from '../ui/CopyField.tsx'
import { DoorControl } from './DoorControl.tsx'
import { useTimer } from '../wellbeing/useTimer.ts'
import { FacilitatorConsole } from './console/FacilitatorConsole.tsx'
import { CoproductionControls } from './CoproductionControls.tsx'
import { ExportLinks } from './ExportLinks.tsx'
import { InviteCodes } from './InviteCodes.tsx'
import { useFacilitatorView } from './useFacilitatorView.ts'
import { WellbeingSettingsForm } from './WellbeingSettingsForm.tsx'
import { DeleteWorkshop } from './DeleteWorkshop.tsx'
import { ProgrammeCard } from './ProgrammeCard.tsx'
import { RetentionForm } from '../ui/RetentionForm.tsx'
import { useRetention } from '../ui/useRetention.ts'
import { RetentionNotice } from '../ui/RetentionNotice.tsx'

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
  const retention = useRetention(workshopId, key)
  const [deleted, setDeleted] = useState(false)
  // The live state doc: the headcount and the room change while this page is open.
  const sync = useWorkshopSync(workshopId, key)
  const live = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  const timer = useTimer(live?.wellbeing.timer ?? null, live?.sections ?? [], 0, true)

  if (deleted)
    return (
      <main className="page narrow" id="main">
        <h1>The workshop has been deleted</h1>
        <p>Everything in it is gone, for everyone. Its links and code no longer work.</p>
        <p>
          <a href="/">Start a new workshop</a>
        </p>
      </main>
    )

  if (!key)
    return (
      <main className="page narrow" id="main">
        <h1>Facilitator</h1>
        <ErrorPanel title="This device does not have the facilitator key">
          <p>Open the facilitator link you were given when the workshop was created, on this device.</p>
        </ErrorPanel>
      </main>
    )

  const finished = live ? live.sections.length > 0 && live.sections.every((section) => section.phase === 'done') : undefined
  return (
    <main className="page narrow" id="main">
      <h1>{finished ? 'Your workshop is finished' : 'Your workshop is ready'}</h1>
      {view && <p className="lead">{view.title}</p>}
      <ProgrammeCard workshopId={workshopId} facilitatorKey={key} />
      {live && <FacilitatorConsole workshopId={workshopId} facilitatorKey={key} live={live} timer={timer} />}
      <RetentionNotice info={retention.info} onlyWhenNear />
      {view && <DoorControl workshopId={workshopId} facilitatorKey={key} participantCount={view.participantCount} doorOpen={view.doorOpen} onChange={refresh} />}
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
      <RetentionForm target={{ kind: 'workshop', id: workshopId, token: key }} info={retention.info} onChange={retention.set} />
      {view && (
        <DeleteWorkshop workshopId={workshopId} facilitatorKey={key} title={view.title} inProgramme={retention.info?.inProgramme} onDeleted={() => setDeleted(true)} />
      )}
      <CoproductionControls
        workshopId={workshopId}
        facilitatorKey={key}
        finished={finished}
      />
    </main>
  )
}
