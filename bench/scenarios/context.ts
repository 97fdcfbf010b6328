import type { StepTiming } from '../lib/load.ts'

/** What every scenario gets: the run's size and a logger for progress lines. */
export interface ScenarioContext {
  quick: boolean
  log: (line: string) => void
  timing: StepTiming
}

export const quickTiming: StepTiming = { warmupMs: 400, measureMs: 1500, drainMaxMs: 1000 }
export const fullTiming: StepTiming = { warmupMs: 2000, measureMs: 10_000, drainMaxMs: 4000 }

/** Where a load ramp starts (multiple of the top level), where it stops, and how many bisections. */
export interface RampPlan {
  start: number
  max: number
  bisect: number
  retries?: number
  /** Longest wait for the machine to calm down / the server to go idle before a step. */
  idleWaitMs?: number
  /** Date.now() after which no new step starts (the quick run's time budget). */
  deadline?: number
}
