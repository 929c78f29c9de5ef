// When failed logins lock an account or a client address, and for how long. Pure, table-tested.

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  /** Lockouts in a row; each doubles the next one. */
  lockouts: number;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  /** Failures within `windowMs` that cause a lockout. */
  maxFailures: number;
  windowMs: number;
  /** Length of the first lockout; doubles per lockout in a row, capped at `maxLockoutMs`. */
  lockoutMs: number;
  maxLockoutMs: number;
}

/** A day without a lockout forgives the earlier ones: the backoff starts again from the bottom. */
export const LOCKOUT_MEMORY_MS = 24 * 3600 * 1000;

/** Whole seconds until the lock ends, or null when not locked. */
export function secondsLocked(state: ThrottleState | null, now: Date): number | null {
  if (!state?.lockedUntil || state.lockedUntil <= now) return null;
  return Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The state after one more failure, and the length of the lockout it starts (if it starts one). */
export function afterFailure(
  state: ThrottleState | null,
  policy: ThrottlePolicy,
  now: Date,
): { state: ThrottleState; lockedForMs: number | null } {
  const remembersLockouts =
    state?.lockedUntil != null && now.getTime() - state.lockedUntil.getTime() < LOCKOUT_MEMORY_MS;
  const lockouts = remembersLockouts ? state!.lockouts : 0;
  const windowOpen = state != null && now.getTime() - state.windowStart.getTime() < policy.windowMs;
  const failures = windowOpen ? state!.failures + 1 : 1;
  const windowStart = windowOpen ? state!.windowStart : now;
  if (failures < policy.maxFailures) {
    return {
      state: { failures, windowStart, lockouts, lockedUntil: remembersLockouts ? state!.lockedUntil : null },
      lockedForMs: null,
    };
  }
  const lockedForMs = Math.min(policy.lockoutMs * 2 ** Math.min(lockouts, 30), policy.maxLockoutMs);
  return {
    state: {
      failures: 0,
      windowStart: now,
      lockouts: lockouts + 1,
      lockedUntil: new Date(now.getTime() + lockedForMs),
    },
    lockedForMs,
  };
}
