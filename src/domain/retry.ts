// When to try a failed delivery again: exponential backoff with jitter, for at least a day, then give up.

export interface RetryPolicy {
  /** Delay after the first failure; each later failure doubles it. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** Keep trying at least this long after the first attempt; a failure after that is final. */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  firstDelayMs: 5_000,
  maxDelayMs: 60 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
};

/**
 * When to try again after `attempts` failed attempts, the first of them at `firstTriedAt`, or null
 * when the delivery has been tried for long enough and is now failed. `random` in [0, 1) spreads
 * retries ("equal jitter": between half and all of the backoff) so receivers coming back up are
 * not hit by every sender at once.
 */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, firstTriedAt: Date, now: Date, random: number): Date | null {
  if (now.getTime() - firstTriedAt.getTime() >= policy.giveUpAfterMs) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + backoff / 2 + random * (backoff / 2));
}
