import type { MemorySample } from './proc.ts'

/**
 * Heap per room (or per connection), taken as the growth over the second half of the joins.
 * Dividing the whole growth by the count also spread one-off costs over every unit: the code the
 * JIT compiles while the first clients join, caches filled once. Those do not grow with rooms,
 * and they differ between servers. Both figures are kept: the slope is the one compared.
 */
export function heapGrowth(before: MemorySample, half: MemorySample, after: MemorySample, units: number) {
  const firstHalf = Math.floor(units / 2)
  const data = (sample: MemorySample) => sample.heapUsed - sample.codeBytes
  return {
    perUnitKB: (after.heapUsed - half.heapUsed) / (units - firstHalf) / 1024,
    wholeKB: (after.heapUsed - before.heapUsed) / units / 1024,
    /** The slope without compiled code, which grows as the JIT optimises, not with units. */
    perUnitDataKB: (data(after) - data(half)) / (units - firstHalf) / 1024,
  }
}
