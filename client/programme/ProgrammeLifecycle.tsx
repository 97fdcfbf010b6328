import type { ProgrammeView } from '../../shared/programme.ts'
import type { RetentionInfo } from '../../shared/retention.ts'
import { ConfirmDelete } from '../ui/ConfirmDelete.tsx'
import { RetentionForm } from '../ui/RetentionForm.tsx'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** The programme's deletion day, how long it is kept, and "Delete this programme" (issue 18). */
export function ProgrammeLifecycle({
  view,
  programmeKey,
  retention,
  onDeleted,
}: {
  view: ProgrammeView
  programmeKey: string
  retention: { info: RetentionInfo | null; set: (info: RetentionInfo) => void }
  onDeleted: () => void
}) {
  const target = { kind: 'programme', id: view.programmeId, token: programmeKey } as const
  const workshops = view.workshops.length
  return (
    <>
      <RetentionForm target={target} info={retention.info} onChange={retention.set} usedBy="you or anyone in its workshops" />
      <ConfirmDelete
        target={target}
        title={view.title}
        losses={[
          'this page, its link and its evidence pack',
          workshops === 0 ? 'its workshops (it has none yet)' : `its ${plural(workshops, 'workshop', 'workshops')}, with every idea, vote, board and agreed statement in them`,
          'the commitments and their updates, the check-out answers and the share links',
          'records of taking part from these workshops: they can no longer be marked as paid',
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
