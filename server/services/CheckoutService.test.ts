import { describe, expect, it } from 'vitest'
import { openDatabase } from '../storage/database.ts'
import { CheckoutStore } from '../storage/CheckoutStore.ts'
import type { PerspectiveGroup } from '../../shared/coproduction.ts'
import type { CheckoutBody } from '../../shared/coproductionBodies.ts'
import { CheckoutService } from './CheckoutService.ts'

/** A real store whose next batch write fails, as a full disk or a lost connection would. */
class FailingOnce extends CheckoutStore {
  failNext = true
  override recordBatch(workshopId: string, group: PerspectiveGroup, batch: readonly CheckoutBody[], reflections: readonly { id: string; text: string }[]): void {
    if (this.failNext) {
      this.failNext = false
      throw new Error('disk full')
    }
    super.recordBatch(workshopId, group, batch, reflections)
  }
}

describe('writing full batches of check-outs', () => {
  const setup = (exists = true) => {
    const db = openDatabase(':memory:')
    const store = new FailingOnce(db)
    const service = new CheckoutService({
      checkouts: store,
      minResultGroup: 3,
      workshopDays: () => (exists ? { held: '2026-01-05', lastCheckout: '2026-01-05' } : null),
      checkedOut: () => undefined,
      today: () => '2026-01-06',
      batchWriteDelayMs: () => 60_000,
    })
    for (let i = 0; i < 3; i++) {
      const actor = { kind: 'participant' as const, workshopId: 'w1', participantId: `p${i}`, sealKey: Buffer.alloc(32), perspective: 'staff' }
      expect(service.checkout(actor, `token-${i}`, { rung: 4, heard: 4, safe: 4, equal: 4 }).ok).toBe(true)
    }
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM checkout_tallies').get() as { n: number }).n
    return { service, store, rows }
  }

  it('keeps a batch whose write failed and writes it on the next try', () => {
    const { service, rows } = setup()
    expect(rows()).toBe(0)
    service.writeReady()
    expect(rows()).toBe(0)
    service.writeReady()
    expect(rows()).toBeGreaterThan(0)
    service.forget('w1')
  })

  it('drops a batch whose workshop is gone instead of writing it', () => {
    const { service, store, rows } = setup(false)
    store.failNext = false
    service.writeReady()
    expect(rows()).toBe(0)
  })
})
