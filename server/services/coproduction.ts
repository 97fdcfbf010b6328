import type { Coproduction } from '../app.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import { CheckoutStore } from '../storage/CheckoutStore.ts'
import { CommitmentStore } from '../storage/CommitmentStore.ts'
import type { Db } from '../storage/database.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import { InvolvementStore } from '../storage/InvolvementStore.ts'
import { ProgrammeStore } from '../storage/ProgrammeStore.ts'
import { ShareStore } from '../storage/ShareStore.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
import { CheckoutService } from './CheckoutService.ts'
import { CommitmentService } from './CommitmentService.ts'
import type { ExportService } from './ExportService.ts'
import { InvolvementService } from './InvolvementService.ts'
import { ProgrammeService } from './ProgrammeService.ts'
import { ShareService } from './ShareService.ts'

/** Builds the issue-16 stores and services (programmes, commitments, shares, check-outs, involvement). */
export function wireCoproduction(
  db: Db,
  deps: {
    rooms: RoomRegistry
    workshopStore: WorkshopStore
    ideaStore: IdeaStore
    exports: ExportService
    minResultGroup: number
    /** See Config.checkoutBatchDelayMs. */
    checkoutBatchDelayMs?: number | null
    today?: () => string
    /** Counts the joins still waiting for a batch (WorkshopService.settleJoinCounts). */
    settleJoinCounts?: (workshopId: string) => void
  },
): Coproduction {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10))
  const checkoutDelay = deps.checkoutBatchDelayMs
  const programmeStore = new ProgrammeStore(db)
  const commitments = new CommitmentService({ db, commitments: new CommitmentStore(db), ideas: deps.ideaStore, programmes: programmeStore, rooms: deps.rooms })
  const checkouts = new CheckoutService({
    checkouts: new CheckoutStore(db),
    minResultGroup: deps.minResultGroup,
    workshopDays: (workshopId) => {
      const row = deps.workshopStore.get(workshopId)
      return row ? { held: row.heldDay ?? null, lastCheckout: row.checkoutDay ?? null } : null
    },
    checkedOut: (workshopId) => deps.workshopStore.markCheckout(workshopId, today()),
    today,
    ...(typeof checkoutDelay === 'number' ? { batchWriteDelayMs: () => checkoutDelay } : {}),
  })
  const programmes = new ProgrammeService({
    programmes: programmeStore,
    exports: deps.exports,
    commitments,
    checkouts,
    perspectiveCounts: (workshopId) => {
      deps.settleJoinCounts?.(workshopId)
      return programmeStore.perspectiveCounts(workshopId)
    },
    today,
  })
  return {
    programmes,
    commitments,
    checkouts,
    shares: new ShareService({ shares: new ShareStore(db), exports: deps.exports, commitments }),
    involvement: new InvolvementService({ store: new InvolvementStore(db), workshops: deps.workshopStore }),
  }
}
