import { afterEach, expect, it } from 'vitest'
import { readState } from '../../shared/stateDoc.ts'
import { silentLogger } from '../logger.ts'
import { RoomRegistry } from '../rooms/RoomRegistry.ts'
import { openDatabase } from '../storage/database.ts'
import { DocStore } from '../storage/DocStore.ts'
import { IdeaStore } from '../storage/IdeaStore.ts'
import { UpdateWriter } from '../storage/UpdateWriter.ts'
import { WellbeingStore } from '../storage/WellbeingStore.ts'
import type { Actor } from './actors.ts'
import { WellbeingService } from './WellbeingService.ts'

const db = openDatabase(':memory:')
const docs = new DocStore(db)
const rooms = new RoomRegistry(
  { db, docs, writer: new UpdateWriter(db, docs, 10, () => undefined), log: silentLogger, messagesPerSecond: 100, compactAfterUpdates: 50 },
  { unloadGraceMs: 20, pingIntervalMs: 60_000, compactIntervalMs: 60_000 },
)
const wellbeing = new WellbeingService({ rooms, store: new WellbeingStore(db), ideas: new IdeaStore(db), log: silentLogger, signalDelayMs: () => 10 })
afterEach(() => wellbeing.stop())

const person = (participantId: string): Extract<Actor, { kind: 'participant' }> => ({ kind: 'participant', workshopId: 'w1', participantId, sealKey: Buffer.alloc(32), perspective: null })
const shownPauseRequests = () => rooms.withRoom('w1', (room) => readState(room.state.doc).wellbeing.pauseRequests)
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('forgets a workshop’s signals, and publishes nothing more for it, once told its memory is stale', async () => {
  wellbeing.signal(person('a'), 'pause', true)
  wellbeing.signal(person('b'), 'pause', true)
  await wait(60)
  expect(shownPauseRequests()).toBe(2)

  // Another instance took the workshop: a count published from here would overwrite its own.
  wellbeing.signal(person('c'), 'pause', true)
  wellbeing.forgetWorkshop('w1')
  await wait(60)
  expect(shownPauseRequests()).toBe(2)
  expect(wellbeing.mySignals(person('a')).pauseRequested).toBe(false)

  // Should it come back here, only what is asked from then on counts.
  wellbeing.signal(person('d'), 'pause', true)
  await wait(60)
  expect(shownPauseRequests()).toBe(1)
})
