// Failed logins counted in the database (table login_throttle), so that every instance sees the
// same counts and locks: per account and per client address, with exponential backoff.
import { RateLimitedError } from '../../auth/rate-limited';
import type { PrismaClient } from '../../db/client';
import { recordAudit } from '../audit/audit';
import { afterFailure, secondsLocked, type ThrottlePolicy, type ThrottleState } from './login-throttle.rules';

export interface LoginThrottleSettings {
  account: ThrottlePolicy;
  address: ThrottlePolicy;
}

export interface LoginAttempt {
  email: string;
  /** Client address (socket peer, or X-Forwarded-For behind a trusted proxy); null when unknown. */
  address: string | null;
}

type Row = { key: string; failures: number; window_start: Date; lockouts: number; locked_until: Date | null };

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
const toState = (row: Row): ThrottleState => ({
  failures: row.failures,
  windowStart: row.window_start,
  lockouts: row.lockouts,
  lockedUntil: row.locked_until,
});

export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: LoginThrottleSettings,
  ) {}

  private keys(attempt: LoginAttempt): { key: string; policy: ThrottlePolicy }[] {
    const keys = [{ key: accountKey(attempt.email), policy: this.settings.account }];
    if (attempt.address) keys.push({ key: addressKey(attempt.address), policy: this.settings.address });
    return keys;
  }

  /**
   * Refuses (before any password is checked) while the account or the address is locked.
   * Returns whether the account has failures on record (only then a success must clear them).
   */
  async assertOpen(attempt: LoginAttempt): Promise<boolean> {
    const keys = this.keys(attempt).map((k) => k.key);
    const rows = await this.prisma.$queryRaw<
      Row[]
    >`SELECT key, failures, window_start, lockouts, locked_until FROM login_throttle WHERE key = ANY(${keys})`;
    const now = new Date();
    const wait = Math.max(0, ...rows.map((row) => secondsLocked(toState(row), now) ?? 0));
    if (wait > 0) throw new RateLimitedError(`Too many failed logins; try again in ${wait} s`, wait);
    return rows.some((row) => row.key === keys[0]);
  }

  /**
   * Counts a failure against the account and the address, in one transaction with their rows
   * locked (concurrent failures on several instances all count). Throws RateLimitedError when
   * this failure starts a lockout, after auditing it.
   */
  async recordFailure(attempt: LoginAttempt, staffId: string | null): Promise<void> {
    const keys = this.keys(attempt).sort((a, b) => a.key.localeCompare(b.key)); // one lock order: no deadlocks
    const lockedFor = await this.prisma.$transaction(async (tx) => {
      let longest = 0;
      for (const { key, policy } of keys) {
        await tx.$executeRaw`INSERT INTO login_throttle (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`;
        const [row] = await tx.$queryRaw<
          Row[]
        >`SELECT key, failures, window_start, lockouts, locked_until FROM login_throttle WHERE key = ${key} FOR UPDATE`;
        const now = new Date();
        const { state, lockedForMs } = afterFailure(toState(row!), policy, now);
        await tx.$executeRaw`UPDATE login_throttle SET failures = ${state.failures}, window_start = ${state.windowStart}, lockouts = ${state.lockouts},
          locked_until = ${state.lockedUntil}, updated_at = ${now} WHERE key = ${key}`;
        if (lockedForMs !== null) {
          const seconds = Math.ceil(lockedForMs / 1000);
          const isAccount = key.startsWith('account:');
          await recordAudit(tx, null, {
            action: 'login.lockout',
            entityType: isAccount ? 'StaffUser' : 'ClientAddress',
            entityId: isAccount ? staffId : attempt.address,
            reason: `${policy.maxFailures} failed logins for ${isAccount ? 'this account' : 'this address'}; locked for ${seconds} s (lockout ${state.lockouts} in a row)`,
          });
          longest = Math.max(longest, seconds);
        }
      }
      return longest;
    });
    if (lockedFor > 0) throw new RateLimitedError(`Too many failed logins; try again in ${lockedFor} s`, lockedFor);
  }

  /** A successful login clears the account's failures (the address keeps its count until the window ends). */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM login_throttle WHERE key = ${accountKey(attempt.email)}`;
  }
}
