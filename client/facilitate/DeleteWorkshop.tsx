import { session } from '../session.ts'
import { ConfirmDelete } from '../ui/ConfirmDelete.tsx'

const LOSSES = [
  'every idea, suggestion and reason people gave',
  'the votes and their results, and the agreed statements',
  'the board and everything drawn or written on it',
  'the join link, the code and the “What we agreed” page: they stop working',
]

/** "Delete this workshop", with the exports offered first and the title typed to confirm. */
export function DeleteWorkshop({ workshopId, facilitatorKey, title, onDeleted }: { workshopId: string; facilitatorKey: string; title: string; onDeleted: () => void }) {
  return (
    <ConfirmDelete
      target={{ kind: 'workshop', id: workshopId, token: facilitatorKey }}
      title={title}
      losses={LOSSES}
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
