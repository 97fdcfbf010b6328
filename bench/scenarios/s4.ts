import { Bot } from '../lib/bot.ts'
import { sleep } from '../lib/clock.ts'
import { EditorScript } from '../lib/editor.ts'
import { LoadRunner, mapLimit, type RoomState } from '../lib/load.ts'
import { Samples, type Summary } from '../lib/stats.ts'
import type { Target } from '../lib/targets.ts'
import { seedRoom } from './s3.ts'
import type { ScenarioContext } from './context.ts'

/**
 * S4 — cold load from SQLite (Parity only: the reference servers keep nothing on disk as
 * configured). Rooms get a board of `shapes` shapes and `edits` edits on top, then the server
 * restarts: after a crash (SIGKILL: hundreds of stored updates per room to merge) and after a
 * graceful restart (drain compacts each room into one snapshot). Time to synced of the first
 * client of each room, one room at a time, then all rooms 16 at a time.
 */
export interface ColdLoad {
  sequential: Summary
  concurrent: Summary
  concurrentRoomsPerSec: number
}

export interface S4Result {
  rooms: number
  shapes: number
  edits: number
  afterCrash: ColdLoad
  afterGraceful: ColdLoad
  warm: Summary
  heapPerLoadedRoomKB: number
}

export async function runS4(target: Target, options: { rooms: number; shapes: number; edits: number }, ctx: ScenarioContext): Promise<S4Result> {
  if (!target.restart) throw new Error('S4 needs a server that can restart on its data')
  const { rooms, shapes, edits } = options
  ctx.log(`S4 ${target.name}: cold load of ${rooms} rooms (${shapes} shapes + ${edits} edits each)`)
  const runner = new LoadRunner(target, undefined, 4)
  const refs: RoomState[] = []
  for (let i = 0; i < rooms; i++) refs.push(await runner.addRoom(0, 0))
  await mapLimit(refs, 4, async (room) => {
    const seeded = await seedRoom(target, runner, room, shapes, 100)
    await seeded.release()
    const endpoint = await target.endpoint(room.ref)
    const editor = new Bot(runner.newClientId(), endpoint, room.index, null, runner.window)
    await editor.connect(30_000, false)
    editor.enqueue(new EditorScript(editor.clientId).generate(edits, endpoint.framing))
    let seq = 0
    while (editor.sendUpdate(seq++)) if (seq % 50 === 0) await sleep(5)
    await sleep(200)
    await editor.close()
  })
  // The writer flushes every 100 ms; give it time so the crash loses nothing.
  await sleep(1500)

  const coldPass = async (): Promise<ColdLoad> => {
    const firstHalf = refs.slice(0, Math.ceil(refs.length / 2))
    const secondHalf = refs.slice(firstHalf.length)
    const sequential = new Samples()
    for (const room of firstHalf) sequential.push(await timeFirstSync(target, runner, room))
    const concurrent = new Samples()
    const started = performance.now()
    await mapLimit(secondHalf, 16, async (room) => concurrent.push(await timeFirstSync(target, runner, room)))
    const seconds = (performance.now() - started) / 1000
    return { sequential: sequential.summary(), concurrent: concurrent.summary(), concurrentRoomsPerSec: secondHalf.length / seconds }
  }

  await target.restart('crash')
  const afterCrash = await coldPass()
  ctx.log(describeCold('after a crash', afterCrash))

  // Load every room and hold it with one socket each, for memory per loaded room and a warm join.
  const baseline = await target.server.memory()
  const holders = await mapLimit(refs, 16, async (room) => {
    const bot = new Bot(runner.newClientId(), await target.endpoint(room.ref), room.index, null, runner.window)
    await bot.connect(60_000, false)
    return bot
  })
  const loaded = await target.server.memory()
  const warm = new Samples()
  for (const room of refs.slice(0, 50)) warm.push(await timeFirstSync(target, runner, room))
  await mapLimit(holders, 32, (bot) => bot.close())

  await target.restart('graceful')
  const afterGraceful = await coldPass()
  ctx.log(describeCold('after a graceful restart', afterGraceful))
  const warmSummary = warm.summary()
  const heapPerLoadedRoomKB = (loaded.heapUsed - baseline.heapUsed) / rooms / 1024
  ctx.log(`  warm join p50 ${warmSummary.p50.toFixed(1)} ms; heap per loaded room ${heapPerLoadedRoomKB.toFixed(0)} KB`)
  return { rooms, shapes, edits, afterCrash, afterGraceful, warm: warmSummary, heapPerLoadedRoomKB }
}

async function timeFirstSync(target: Target, runner: LoadRunner, room: RoomState): Promise<number> {
  const bot = new Bot(runner.newClientId(), await target.endpoint(room.ref), room.index, null, runner.window)
  try {
    return await bot.connect(60_000, false)
  } finally {
    await bot.close()
  }
}

const describeCold = (label: string, load: ColdLoad) =>
  `  cold load ${label}: one at a time p50 ${load.sequential.p50.toFixed(0)} ms p99 ${load.sequential.p99.toFixed(0)} ms; ` +
  `16 at a time p50 ${load.concurrent.p50.toFixed(0)} ms p99 ${load.concurrent.p99.toFixed(0)} ms (${load.concurrentRoomsPerSec.toFixed(0)} rooms/s)`
