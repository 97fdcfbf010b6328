import type { ProgrammeView } from '../../shared/programme.ts'
import { RetentionForm } from '../ui/RetentionForm.tsx'
import { ConfirmDelete } from '../ui/ConfirmDelete.tsx'
import { RetentionNotice } from '../ui/RetentionNotice.tsx'
import { useRetention } from '../ui/useRetention.ts'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** The programme's deletion day, how long it is kept, and "Delete this programme" (issue 18). */
export function ProgrammeLifecycle({ view, programmeKey, onDeleted }: { view: ProgrammeView; programmeKey: string; onDeleted: () => void }) {
  const target = { kind: 'programme', id: view.programmeId, token: programmeKey } as const
  const retention = useRetention(view.programmeId, programmeKey, 'programme')
  const workshops = view.workshops.length
  return (
    <>
      <RetentionNotice info={retention.info} what="programme" onlyWhenNear />
      <RetentionForm target={target} info={retention.info} onChange={retention.set} usedBy="you or anyone in its workshops" />
      <ConfirmDelete
        target={target}
        title={view.title}
        losses={[
          'this page, its link and its evidence pack',
          workshops === 0 ? 'its workshops (it has none yet)' : `its ${plural(workshops, 'workshop', 'workshops')}, with every idea, vote, board and agreed statement in them`,
          'the commitments and their updates, the check-out answers and the share links',
          'records of taking part from these workshops: they can no longer be checked',
        ]}
        before={
          <>
            <a href="#evidence-h">Download the evidence pack first</a> if you need it.
          </>
        }
        onDeleted={onDeleted}
      />
    </>
  )
}
