/** Percentiles and small summaries; samples are plain arrays (a run holds at most ~10⁶). */

export interface Summary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export const emptySummary = (): Summary => ({ count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN })

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

/** The middle value (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function summarise(samples: ArrayLike<number>): Summary {
  if (samples.length === 0) return emptySummary()
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  }
}

/** A growable list of numbers that avoids boxing (latency samples arrive by the hundred thousand). */
export class Samples {
  private data = new Float64Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }

  pushAll(other: Samples): void {
    for (let i = 0; i < other.length; i++) this.push(other.data[i]!)
  }

  clear(): void {
    this.length = 0
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length)
  }

  summary(): Summary {
    return summarise(this.values())
  }
}

/** Rounds for display: 3 significant digits, no exponent for everyday magnitudes. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—'
  if (value === 0) return '0'
  const magnitude = Math.abs(value)
  if (magnitude >= 10 ** digits) return Math.round(value).toLocaleString('en-GB')
  return Number(value.toPrecision(digits)).toString()
}
