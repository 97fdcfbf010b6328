/**
 * Waits before a timed server write that storage refused (a full disk, a lost database) is tried
 * again: about half an hour in all, after which it waits for the next change that asks for it.
 * Without a retry, waiting ideas stayed hidden, and wellbeing counts wrong, until someone happened
 * to act again.
 */
export const RETRY_AFTER_FAILURE_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000, ...Array<number>(29).fill(60_000)]
