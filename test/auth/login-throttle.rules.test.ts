import {
  afterFailure,
  secondsLocked,
  type ThrottlePolicy,
  type ThrottleState,
} from '../../src/modules/auth/login-throttle.rules';

const policy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 60_000, maxLockoutMs: 3_600_000 };
const T0 = new Date('2026-01-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const state = (s: Partial<ThrottleState>): ThrottleState => ({
  failures: 0,
  windowStart: T0,
  lockouts: 0,
  lockedUntil: null,
  ...s,
});

describe('afterFailure', () => {
  it.each([
    ['first failure ever', null, at(0), { failures: 1, lockouts: 0, lockedUntil: null }, null],
    [
      'fourth failure in the window',
      state({ failures: 3 }),
      at(60_000),
      { failures: 4, lockouts: 0, lockedUntil: null },
      null,
    ],
    [
      'fifth failure in the window locks for 1 min',
      state({ failures: 4 }),
      at(60_000),
      { failures: 0, lockouts: 1, lockedUntil: at(120_000) },
      60_000,
    ],
    [
      'window over: counting starts again',
      state({ failures: 4 }),
      at(15 * 60_000),
      { failures: 1, lockouts: 0, lockedUntil: null },
      null,
    ],
    [
      'second lockout in a row doubles',
      state({ failures: 4, lockouts: 1, lockedUntil: at(-1000) }),
      at(0),
      { failures: 0, lockouts: 2, lockedUntil: at(120_000) },
      120_000,
    ],
    [
      'fifth lockout in a row: 16 min',
      state({ failures: 4, lockouts: 4, lockedUntil: at(-1000) }),
      at(0),
      { lockouts: 5, lockedUntil: at(960_000) },
      960_000,
    ],
    [
      'backoff is capped',
      state({ failures: 4, lockouts: 40, lockedUntil: at(-1000) }),
      at(0),
      { lockouts: 41, lockedUntil: at(3_600_000) },
      3_600_000,
    ],
    [
      'a day without lockout forgets the backoff',
      state({ failures: 4, lockouts: 6, lockedUntil: at(-25 * 3600_000) }),
      at(0),
      { lockouts: 1, lockedUntil: at(60_000) },
      60_000,
    ],
  ])('%s', (_name, before, now, expected, lockedForMs) => {
    const result = afterFailure(before, policy, now);
    expect(result.state).toMatchObject(expected);
    expect(result.lockedForMs).toBe(lockedForMs);
  });
});

describe('secondsLocked', () => {
  it.each([
    [null, null],
    [state({ lockedUntil: null }), null],
    [state({ lockedUntil: at(-1) }), null],
    [state({ lockedUntil: at(0) }), null],
    [state({ lockedUntil: at(1) }), 1],
    [state({ lockedUntil: at(59_001) }), 60],
  ])('%#', (s, expected) => {
    expect(secondsLocked(s, T0)).toBe(expected);
  });
});
