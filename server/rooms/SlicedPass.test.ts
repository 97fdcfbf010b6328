import { afterEach, describe, expect, it, vi } from 'vitest'
import { SlicedPass } from './SlicedPass.ts'

const rethrow = (_item: unknown, error: unknown) => {
  throw error
}

describe('SlicedPass', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it('does the whole pass in slices of sliceMs, resting `rest` times each slice between them', () => {
    vi.useFakeTimers()
    const done: number[] = []
    // Each item takes 2 ms of (fake) time: a 5 ms slice holds three.
    const pass = new SlicedPass<number>((item) => {
      done.push(item)
      vi.setSystemTime(Date.now() + 2)
    }, rethrow, 5, 4)
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now())
    pass.start([1, 2, 3, 4, 5, 6, 7])
    expect(done).toEqual([1, 2, 3])
    expect(pass.running).toBe(true)
    // The slice took 6 ms: the next comes 24 ms later, not sooner.
    vi.advanceTimersByTime(23)
    expect(done).toEqual([1, 2, 3])
    vi.advanceTimersByTime(1)
    expect(done).toEqual([1, 2, 3, 4, 5, 6])
    vi.advanceTimersByTime(24)
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(pass.running).toBe(false)
  })

  it('ignores a start while a pass is under way, and stops when told', () => {
    vi.useFakeTimers()
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now())
    const done: string[] = []
    const pass = new SlicedPass<string>((item) => {
      done.push(item)
      vi.setSystemTime(Date.now() + 10)
    }, rethrow, 5, 1)
    pass.start(['a', 'b', 'c'])
    pass.start(['x'])
    expect(done).toEqual(['a'])
    pass.stop()
    vi.advanceTimersByTime(1000)
    expect(done).toEqual(['a'])
    pass.start(['x'])
    expect(done).toEqual(['a', 'x'])
  })

  it('calls an item again later in the pass while its work asks for another step', () => {
    vi.useFakeTimers()
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now())
    const steps = new Map([['a', 3], ['b', 1]])
    const done: string[] = []
    const pass = new SlicedPass<string>((item) => {
      done.push(item)
      vi.setSystemTime(Date.now() + 10)
      const left = steps.get(item)! - 1
      steps.set(item, left)
      return left > 0
    }, rethrow, 5, 1)
    pass.start(['a', 'b'])
    vi.advanceTimersByTime(1000)
    expect(done).toEqual(['a', 'b', 'a', 'a'])
    expect(pass.running).toBe(false)
  })

  it('reports a failing item and goes on with the pass (thrown from its timer, it ended the process)', () => {
    vi.useFakeTimers()
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now())
    const done: string[] = []
    const failed: [string, string][] = []
    const pass = new SlicedPass<string>(
      (item) => {
        vi.setSystemTime(Date.now() + 10)
        if (item === 'b') throw new Error('connect ECONNREFUSED')
        done.push(item)
      },
      (item, error) => failed.push([item, (error as Error).message]),
      5,
      1,
    )
    pass.start(['a', 'b', 'c'])
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow()
    expect(done).toEqual(['a', 'c'])
    expect(failed).toEqual([['b', 'connect ECONNREFUSED']])
    expect(pass.running).toBe(false)
  })
})
