import { session } from '../session.ts'
import { ConfirmDelete } from '../ui/ConfirmDelete.tsx'

const LOSSES = [
  'every idea, suggestion and reason people gave',
  'the votes and their results, and the agreed statements',
  'the board and everything drawn or written on it',
  'the join link, the code and the “What we agreed” page: they stop working',
  'the commitments and their updates, and the check-out answers',
  'records of taking part from this workshop: they can no longer be marked as paid',
]

/** What else goes when the workshop is one of a programme's. */
const PROGRAMME_LOSSES = ['its part of the programme’s history and of its evidence pack']

/** "Delete this workshop", with the exports offered first and the title typed to confirm. */
export function DeleteWorkshop({
  workshopId,
  facilitatorKey,
  title,
  inProgramme = false,
  onDeleted,
}: {
  workshopId: string
  facilitatorKey: string
  title: string
  inProgramme?: boolean
  onDeleted: () => void
}) {
  return (
    <ConfirmDelete
      target={{ kind: 'workshop', id: workshopId, token: facilitatorKey }}
      title={title}
      losses={inProgramme ? [...LOSSES, ...PROGRAMME_LOSSES] : LOSSES}
      before={
        <>
          <a href="#export-h">Download the agreed vision first</a> if you need it.
        </>
      }
      onDeleted={() => {
        session.forgetWorkshop(workshopId)
        onDeleted()
      }}
    />
  )
}
